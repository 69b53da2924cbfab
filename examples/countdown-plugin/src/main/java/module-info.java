/**
 * The Countdown task (as in TinyZero): reach a target number from a few given numbers, each used
 * once, with {@code + - * /} and parentheses. A data source of generated puzzles ({@code countdown})
 * and a reward function that checks the equation ({@code countdown}).
 */
module com.example.countdown {
    requires io.rlvr4j.api;

    provides io.rlvr4j.api.DataSource with com.example.countdown.CountdownProblems;
    provides io.rlvr4j.api.RewardFunction with com.example.countdown.CountdownReward;
}
