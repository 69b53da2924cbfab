package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.ChatMessage;
import io.rlvr4j.api.Problem;

/**
 * Turns a problem into the text the model continues. A plain prompt is used as it is; chat messages
 * are rendered in ChatML, the format of the Qwen2 family
 * ({@code <|im_start|>role\ncontent<|im_end|>\n} per turn, then {@code <|im_start|>assistant\n}).
 */
final class PromptRenderer {

    private PromptRenderer() {}

    static String render(Problem problem) {
        if (problem.prompt() != null) return problem.prompt();
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : problem.messages()) {
            sb.append("<|im_start|>").append(m.role()).append('\n').append(m.content()).append("<|im_end|>\n");
        }
        return sb.append("<|im_start|>assistant\n").toString();
    }
}
