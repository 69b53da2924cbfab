// Writes backend-hf/src/test/resources/chat-templates/cases.json: chat templates with renderings made by
// Hugging Face's own @huggingface/jinja (the reference ChatTemplateTest holds rlvr4j to).
//   (cd /tmp && npm install @huggingface/jinja@0.5.13) && NODE_PATH=/tmp/node_modules node scripts/chat-template-cases.mjs
import { createRequire } from "module";
import fs from "fs";
import path from "path";
const require = createRequire(process.env.NODE_PATH + "/");
const { Template } = require("@huggingface/jinja");
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const v3 = JSON.parse(fs.readFileSync(root + "/fixtures/tokenizers/deepseek-v3/tokenizer_config.json")).chat_template;
// DeepSeek-R1 (and its distilled Qwen and Llama models): V3's template, with the reasoning of earlier
// assistant turns cut at </think> and a generation prompt that opens <think>
const r1 = v3
  .replace("{{'<｜Assistant｜>' + message['content'] + '<｜end▁of▁sentence｜>'}}",
    "{% set content = message['content'] %}{% if '</think>' in content %}{% set content = content.split('</think>')[-1] %}{% endif %}{{'<｜Assistant｜>' + content + '<｜end▁of▁sentence｜>'}}")
  .replace("{{'<｜Assistant｜>'}}{% endif %}", "{{'<｜Assistant｜><think>\\n'}}{% endif %}");
if (r1 === v3) throw new Error("R1 derivation failed");
const qwen25 = `{%- if tools %}
    {{- '<|im_start|>system\\n' }}
    {%- if messages[0]['role'] == 'system' %}
        {{- messages[0]['content'] }}
    {%- else %}
        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}
    {%- endif %}
    {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\n<tools>" }}
    {%- for tool in tools %}
        {{- "\\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\\n</tools><|im_end|>\\n" }}
{%- else %}
    {%- if messages[0]['role'] == 'system' %}
        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
    {%- else %}
        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}
    {%- endif %}
{%- endif %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}
`;
const llama3 = `{{- bos_token }}
{%- if messages[0]['role'] == 'system' %}
    {%- set system_message = messages[0]['content']|trim %}
    {%- set messages = messages[1:] %}
{%- else %}
    {%- set system_message = "" %}
{%- endif %}
{{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}
{%- if not date_string is defined %}{%- set date_string = "26 Jul 2024" %}{%- endif %}
{{- "Cutting Knowledge Date: December 2023\\n" }}
{{- "Today Date: " + date_string + "\\n\\n" }}
{{- system_message }}
{{- "<|eot_id|>" }}
{%- for message in messages %}
    {%- if message.role not in ['user', 'assistant'] %}{{- raise_exception('Conversation roles must be user or assistant, not ' + message.role) }}{%- endif %}
    {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}
{%- endif %}
`;
// constructs chat templates use: macros, loop controls, slices with a step, Python string methods, filters
const constructs = `{%- macro fmt(m) -%}[{{ m.role | upper }}|{{ m.content | length }}]{%- endmacro -%}
{%- for m in messages[::-1] -%}{%- if loop.index > 3 %}{% break %}{% endif -%}{%- if m.role == 'system' %}{% continue %}{% endif -%}
{{ fmt(m) }}{{ m.content.strip().split(' ')[0].lower() }};{{ m.content.startswith('W') }};{{ loop.index0 }}/{{ loop.length }}
{% endfor -%}
{{ {'a': 1, 'b': [true, none, 'x"y']} | tojson }}|{{ messages | map(attribute='role') | join(',') }}|{{ '%d items' % 3 if false else 'n=' ~ (messages | length) }}
{%- if add_generation_prompt %}<gen>{% endif %}`;
const conversations = [
  [{ role: "user", content: "What is 7+3*2-4? Put the final answer in \\boxed{}." }],
  [{ role: "system", content: "  Reason step by step.  " }, { role: "user", content: "Solve x^2 = 4." }],
  [{ role: "user", content: "What is 2+2?" }, { role: "assistant", content: "<think>\nTwo and two.\n</think>\n\nThe answer is \\boxed{4}." },
   { role: "user", content: "And 3+3? Write it out." }],
];
const specials = {
  r1: { bos_token: "<｜begin▁of▁sentence｜>", eos_token: "<｜end▁of▁sentence｜>", pad_token: "<｜end▁of▁sentence｜>" },
  qwen25: { eos_token: "<|im_end|>", pad_token: "<|endoftext|>" },
  llama3: { bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>" },
  constructs: {},
};
const templates = { r1, qwen25, llama3, constructs };
const cases = [];
for (const [name, source] of Object.entries(templates)) {
  const t = new Template(source);
  for (const messages of conversations) {
    for (const add_generation_prompt of [true, false]) {
      const args = { messages, add_generation_prompt, tools: null, documents: null, ...specials[name] };
      let rendered = null, error = null;
      try { rendered = t.render(args); } catch (e) { error = String(e.message); }
      cases.push({ template: name, messages, add_generation_prompt, rendered, error });
    }
  }
}
const out = { description: "renderings by @huggingface/jinja 0.5.13 (scripts/chat-template-cases.mjs)", templates, specials, cases };
fs.writeFileSync(root + "/backend-hf/src/test/resources/chat-templates/cases.json", JSON.stringify(out, null, 1) + "\n");
console.log(cases.length + " cases");
