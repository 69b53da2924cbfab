package io.rlvr4j.backend.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The engine-free decoding loop against a fake engine whose next-token logits depend only on each
 * row's last token and position: what the loop pads, feeds, keeps and returns.
 */
class DecodeLoopTest {

    private static final int VOCAB = 8;

    /** A fake model: after token t at position p, token (t + p) % VOCAB is most likely, by a wide margin. */
    private static final class Fake implements DecodeLoop.Decoder {
        final List<String> calls = new ArrayList<>();

        static float[] logits(long[] last, long[] positions) {
            float[] out = new float[last.length * VOCAB];
            for (int r = 0; r < last.length; r++) out[r * VOCAB + (int) ((last[r] + positions[r]) % VOCAB)] = 10;
            return out;
        }

        @Override
        public DecodeLoop.Prefill start(long[] ids, long[] positions, int[] pad, int width, int capacity, DecodeLoop.Pick pick) {
            calls.add("start rows=" + pad.length + " width=" + width + " capacity=" + capacity + " pad=" + Arrays.toString(pad));
            long[] last = new long[pad.length];
            long[] pos = new long[pad.length];
            for (int r = 0; r < pad.length; r++) {
                last[r] = ids[r * width + width - 1];
                pos[r] = positions[r * width + width - 1];
            }
            return new DecodeLoop.Prefill(new DecodeLoop.Chunk() {
                @Override public DecodeLoop.Scores step(long[] ids, long[] positions, int[] pad, int filled, DecodeLoop.Pick pick) {
                    calls.add("step rows=" + ids.length + " filled=" + filled);
                    return DecodeLoop.Scores.ofLogits(Fake.logits(ids, positions));
                }
                @Override public void keep(int[] rows) { calls.add("keep " + Arrays.toString(rows)); }
                @Override public void close() { calls.add("close"); }
            }, DecodeLoop.Scores.ofLogits(logits(last, pos)));
        }
    }

    private static final Tokenizer TOKENS = new Tokenizer() {
        @Override public int[] encode(String text) { return text.chars().toArray(); }
        @Override public String decode(int[] ids) { return Arrays.toString(ids); }
        @Override public int vocabularySize() { return VOCAB; }
        @Override public OptionalInt eosTokenId() { return OptionalInt.empty(); }
        @Override public OptionalInt padTokenId() { return OptionalInt.empty(); }
        @Override public int[] encodeWithSpecialTokens(String text) { return encode(text); }
        @Override public Set<Integer> stopTokenIds() { return Set.of(); }
        @Override public boolean hasChatTemplate() { return false; }
        @Override public String applyChatTemplate(List<io.rlvr4j.api.ChatMessage> m, boolean g, java.util.Map<String, ?> v) {
            throw new UnsupportedOperationException("no chat template");
        }
    };

    @Test
    void promptsAreLeftPaddedAndEachRowContinuesItsOwnPrompt() {
        Fake fake = new Fake();
        List<int[]> prompts = List.of(new int[] {1, 2, 3}, new int[] {5});
        List<Generation> g = DecodeLoop.generate(prompts, SamplingParams.greedy(3, Set.of()), TOKENS, VOCAB, 16, fake);
        // prompt {1,2,3}: last 3 at position 2 -> 5; 5 at 3 -> 0; 0 at 4 -> 4
        assertThat(g.get(0).tokens()).containsExactly(5, 0, 4);
        // prompt {5}: 5 at 0 -> 5; 5 at 1 -> 6; 6 at 2 -> 0 (positions ignore the padding)
        assertThat(g.get(1).tokens()).containsExactly(5, 6, 0);
        assertThat(g).allMatch(x -> x.finishReason() == Generation.FinishReason.LENGTH);
        assertThat(fake.calls.getFirst()).isEqualTo("start rows=2 width=3 capacity=6 pad=[2, 0]");
        assertThat(fake.calls).contains("step rows=2 filled=3", "step rows=2 filled=4").endsWith("close");
    }

    @Test
    void finishedRowsAreCompactedAwayAndStopTokensAreKept() {
        Fake fake = new Fake();
        // four prompts; token 5 stops: prompts ending in 3 at position 2 produce 5 at once
        List<int[]> prompts = List.of(new int[] {1, 2, 3}, new int[] {0, 0, 1}, new int[] {4, 4, 3}, new int[] {2, 2, 2});
        List<Generation> g = DecodeLoop.generate(prompts, SamplingParams.greedy(4, Set.of(5)), TOKENS, VOCAB, 16, fake);
        assertThat(g.get(0).tokens()).containsExactly(5);
        assertThat(g.get(0).finishReason()).isEqualTo(Generation.FinishReason.STOP);
        assertThat(g.get(2).tokens()).containsExactly(5);
        // half the rows finished: the batch keeps the other two
        assertThat(fake.calls).contains("keep [1, 3]", "step rows=2 filled=3");
        assertThat(g.get(1).tokens()).hasSize(4);
    }

    @Test
    void stopStringsEndARowAcrossTokenBoundariesAndAreCutOrKept() {
        String[] pieces = {"<", "/a", "b", "c", "ns", "</", "x", ">"};
        Tokenizer text = new Tokenizer() {
            @Override public int[] encode(String t) { throw new UnsupportedOperationException(); }
            @Override public String decode(int[] ids) {
                StringBuilder b = new StringBuilder();
                for (int id : ids) b.append(pieces[id]);
                return b.toString();
            }
            @Override public int vocabularySize() { return VOCAB; }
            @Override public OptionalInt eosTokenId() { return OptionalInt.empty(); }
            @Override public OptionalInt padTokenId() { return OptionalInt.empty(); }
            @Override public int[] encodeWithSpecialTokens(String t) { throw new UnsupportedOperationException(); }
            @Override public Set<Integer> stopTokenIds() { return Set.of(); }
            @Override public boolean hasChatTemplate() { return false; }
            @Override public String applyChatTemplate(List<io.rlvr4j.api.ChatMessage> m, boolean g, java.util.Map<String, ?> v) {
                throw new UnsupportedOperationException();
            }
        };
        // prompt {1,2,3} goes 5, 0, 4, 1, 7, ...: "</" "<" "ns" "/a" ">": "<ns/" is complete with the fourth token
        List<int[]> prompts = List.of(new int[] {1, 2, 3}, new int[] {6});
        for (boolean keep : new boolean[] {false, true}) {
            SamplingParams p = new SamplingParams(0, 1, 0, 8, Set.of(), 0, List.of("never", "<ns/"), keep);
            List<Generation> g = DecodeLoop.generate(prompts, p, text, VOCAB, 16, new Fake());
            assertThat(g.get(0).tokens()).containsExactly(5, 0, 4, 1);
            assertThat(g.get(0).finishReason()).isEqualTo(Generation.FinishReason.STOP);
            assertThat(g.get(0).text()).isEqualTo(keep ? "</<ns/" : "</");
            assertThat(g.get(1).finishReason()).isEqualTo(Generation.FinishReason.LENGTH);
            assertThat(g.get(1).tokens()).hasSize(8);
        }
        assertThat(DecodeLoop.stopWindow(new SamplingParams(0, 1, 0, 8, Set.of(), 0, List.of("ab", "</answer>"), false))).isEqualTo(37);
        assertThatThrownBy(() -> new SamplingParams(0, 1, 0, 8, Set.of(), 0, List.of(""), false)).hasMessageContaining("empty");
    }

    @Test
    void theResultDoesNotDependOnHowPromptsAreChunked() {
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < 7; i++) prompts.add(new int[] {i % VOCAB, (i * 3) % VOCAB});
        SamplingParams sampled = new SamplingParams(1.5, 1.0, 0, 5, Set.of(), 42);
        List<Generation> together = DecodeLoop.generate(prompts, sampled, TOKENS, VOCAB, 16, new Fake());
        List<Generation> oneByOne = DecodeLoop.generate(prompts, sampled, TOKENS, VOCAB, 1, new Fake());
        for (int i = 0; i < prompts.size(); i++) assertThat(oneByOne.get(i).tokens()).containsExactly(together.get(i).tokens());
    }

    @Test
    void emptyPromptsAndForeignTokensAreRejected() {
        assertThatThrownBy(() -> DecodeLoop.generate(List.of(new int[0]), SamplingParams.greedy(2, Set.of()), TOKENS, VOCAB, 4, new Fake()))
                .hasMessageContaining("prompt 0 is empty");
        assertThatThrownBy(() -> DecodeLoop.generate(List.of(new int[] {1, 9}), SamplingParams.greedy(2, Set.of()), TOKENS, VOCAB, 4, new Fake()))
                .hasMessageContaining("prompt 0 has token id 9 at position 1, outside the model's vocabulary [0, 8)");
    }
}
