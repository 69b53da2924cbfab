package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.ChatMessage;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.Tokenizer;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a problem becomes the prompt a model continues, from the {@code model} section's
 * {@code chat_template} and {@code chat_template_kwargs}.
 *
 * <ul>
 *   <li>Chat messages are rendered by the model's chat template with the generation prompt
 *       ({@link Tokenizer#applyChatTemplate}) and encoded without adding special tokens: the template
 *       writes them, as Hugging Face {@code apply_chat_template(…, tokenize=True)} does.
 *   <li>A plain-text prompt is wrapped by the template as one user message when
 *       {@code chat_template} is {@code true}, or {@code auto} (the default) and the model has a template;
 *       else it is used as it is, with the special tokens the tokenizer adds to a bare text
 *       ({@link Tokenizer#encodeWithSpecialTokens}: e.g. {@code bos_token} where {@code add_bos_token} asks).
 * </ul>
 *
 * @param mode whether the chat template is used
 * @param variables extra variables of the chat template, e.g. {@code enable_thinking: false}
 */
record PromptFormat(Mode mode, Map<String, Object> variables) {

    /** {@code model.chat_template}. */
    enum Mode { AUTO, TRUE, FALSE }

    PromptFormat {
        variables = Map.copyOf(variables);
    }

    static PromptFormat read(Settings model) {
        return new PromptFormat(model.choice("chat_template", Mode.class, Mode.AUTO), model.mapping("chat_template_kwargs"));
    }

    /** {@return the token ids of the prompt of {@code problem}} */
    int[] encode(Problem problem, Tokenizer tokenizer) {
        List<ChatMessage> messages = messages(problem, tokenizer);
        return messages == null ? tokenizer.encodeWithSpecialTokens(problem.prompt())
                : tokenizer.encode(tokenizer.applyChatTemplate(messages, true, variables));
    }

    /** {@return the messages to render, or null for a prompt used as it is} */
    private List<ChatMessage> messages(Problem problem, Tokenizer tokenizer) {
        if (problem.prompt() == null) {
            if (mode == Mode.FALSE) {
                throw new ConfigException("model.chat_template", "problem " + problem.id() + " is given as chat messages "
                        + "(or its data set has a system_prompt), which only a chat template can turn into a prompt, "
                        + "but model.chat_template is false");
            }
            return problem.messages();
        }
        boolean wrap = switch (mode) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> tokenizer.hasChatTemplate();
        };
        return wrap ? List.of(new ChatMessage("user", problem.prompt())) : null;
    }

    /**
     * {@return {@code problem} with a data set's {@code system_prompt} and {@code prompt_suffix}}: the
     * suffix is appended, as it is, to the prompt text or to the last user message; the system prompt
     * opens the conversation unless the problem's messages already have one (a plain-text prompt
     * becomes a system and a user message)
     */
    static Problem adapt(Problem problem, String systemPrompt, String suffix) {
        if (systemPrompt == null && suffix == null) return problem;
        String sfx = suffix == null ? "" : suffix;
        if (problem.prompt() != null && systemPrompt == null) {
            return new Problem(problem.id(), problem.domain(), problem.prompt() + sfx, List.of(), problem.answer(), problem.metadata());
        }
        List<ChatMessage> messages = new ArrayList<>(problem.prompt() != null ? List.of(new ChatMessage("user", problem.prompt()))
                : problem.messages());
        for (int i = messages.size() - 1; i >= 0 && !sfx.isEmpty(); i--) {
            if (messages.get(i).role().equals("user")) {
                messages.set(i, new ChatMessage("user", messages.get(i).content() + sfx));
                break;
            }
        }
        if (systemPrompt != null && messages.stream().noneMatch(m -> m.role().equals("system"))) {
            messages.addFirst(new ChatMessage("system", systemPrompt));
        }
        return new Problem(problem.id(), problem.domain(), null, messages, problem.answer(), problem.metadata());
    }
}
