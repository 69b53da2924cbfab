package io.rlvr4j.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.ChatMessage;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.config.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How problems become prompts: the template modes, system prompts and suffixes. */
class PromptFormatTest {

    private final Fakes.CharTokens tok = new Fakes.CharTokens(true); // template: [role]content…[assistant]
    private final Problem text = Problem.of("p", "math", "1+1=", "2");
    private final Problem chat = new Problem("c", "math", null, List.of(new ChatMessage("user", "hi")), "2", Map.of());

    @Test
    void plainTextIsWrappedWhereTheModelHasATemplateUnlessTheConfigurationSaysNo() {
        PromptFormat auto = new PromptFormat(PromptFormat.Mode.AUTO, Map.of());
        assertThat(auto.encode(text, tok)).containsExactly(tok.encode("[user]1+1=[assistant]"));
        assertThat(new PromptFormat(PromptFormat.Mode.FALSE, Map.of()).encode(text, tok)).containsExactly(tok.encode("1+1="));
        assertThat(new PromptFormat(PromptFormat.Mode.TRUE, Map.of()).encode(text, tok)).containsExactly(tok.encode("[user]1+1=[assistant]"));
        assertThat(auto.encode(chat, tok)).containsExactly(tok.encode("[user]hi[assistant]"));
    }

    @Test
    void chatMessagesWithoutATemplateAreAnError() {
        assertThatThrownBy(() -> new PromptFormat(PromptFormat.Mode.FALSE, Map.of()).encode(chat, tok))
                .isInstanceOf(ConfigException.class).hasMessageContaining("problem c is given as chat messages")
                .hasMessageContaining("model.chat_template is false");
    }

    @Test
    void aSystemPromptOpensTheConversationAndASuffixEndsTheLastUserTurn() {
        Problem p = PromptFormat.adapt(text, "Be brief.", " Box it.");
        assertThat(p.messages()).containsExactly(new ChatMessage("system", "Be brief."), new ChatMessage("user", "1+1= Box it."));
        assertThat(PromptFormat.adapt(text, null, " Box it.").prompt()).isEqualTo("1+1= Box it.");
        Problem own = new Problem("c", "math", null, List.of(new ChatMessage("system", "Mine."), new ChatMessage("user", "a"),
                new ChatMessage("assistant", "b"), new ChatMessage("user", "c")), "2", Map.of());
        assertThat(PromptFormat.adapt(own, "Theirs.", "!").messages()).containsExactly(new ChatMessage("system", "Mine."),
                new ChatMessage("user", "a"), new ChatMessage("assistant", "b"), new ChatMessage("user", "c!"));
        assertThat(PromptFormat.adapt(text, null, null)).isSameAs(text);
    }
}
