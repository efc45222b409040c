package io.sandbox402.agent.cli;

import java.util.Map;

/** The process environment, injectable so tests need not change the real one. */
record Environment(Map<String, String> variables) {

    static Environment system() {
        return new Environment(System.getenv());
    }

    /** The flag's value when given, else the variable's, else {@code null}. Flags win over variables. */
    String resolve(String flag, String variable) {
        if (flag != null && !flag.isBlank()) {
            return flag;
        }
        String value = variables.get(variable);
        return value == null || value.isBlank() ? null : value;
    }
}
