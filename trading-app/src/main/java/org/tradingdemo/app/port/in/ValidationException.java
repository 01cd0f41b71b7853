package org.tradingdemo.app.port.in;

import java.util.List;

/** A command or query was built from invalid input; carries every field error at once. */
public final class ValidationException extends RuntimeException {
    private final transient List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    public static ValidationException of(String field, String message) {
        return new ValidationException(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String summary(List<FieldError> errors) {
        StringBuilder sb = new StringBuilder("invalid input: ");
        for (int i = 0; i < errors.size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(errors.get(i).field()).append(": ").append(errors.get(i).message());
        }
        return sb.toString();
    }
}
