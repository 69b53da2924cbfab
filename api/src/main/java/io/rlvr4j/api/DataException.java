package io.rlvr4j.api;

/** Malformed input data; the message names the file, the line and what was expected there. */
public class DataException extends RuntimeException {

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
