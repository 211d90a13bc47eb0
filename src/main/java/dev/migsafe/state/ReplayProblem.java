package dev.migsafe.state;

/** An operation the replay could not apply as written (e.g. AlterField of a field the state lacks). */
public record ReplayProblem(String path, int line, int column, String message) {

    @Override
    public String toString() {
        return path + ":" + line + ":" + column + ": " + message;
    }
}
