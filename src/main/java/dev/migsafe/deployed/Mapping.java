package dev.migsafe.deployed;

import dev.migsafe.migration.Evidence;

/**
 * What the deployed code says about a column or table an operation drops or renames.
 *
 * @param state MAPPED: old code still maps it; DEPRECATED: declared, but wrapped so Django no longer
 *              queries it; GONE: old code no longer maps it; UNUSED: a model old code still declares
 *              but no longer uses anywhere; UNKNOWN: migsafe cannot tell (never a guess)
 * @param detail what was found, in words, for the finding's message (names the file)
 * @param where the declaration, when there is one
 * @param field the deployed field, when the question was about one and it is declared
 * @param also other places that keep it in use (a mapped model's relations to other models, then its uses)
 */
public record Mapping(State state, String detail, Evidence where, DeployedField field, java.util.List<Evidence> also) {

    public Mapping(State state, String detail, Evidence where, DeployedField field) {
        this(state, detail, where, field, java.util.List.of());
    }

    public enum State { MAPPED, DEPRECATED, GONE, UNUSED, UNKNOWN }

    static Mapping unknown(String why) {
        return new Mapping(State.UNKNOWN, why, null, null);
    }

    /** The deployed code no longer maps it: the operation is the second phase. */
    public boolean released() {
        return state == State.DEPRECATED || state == State.GONE || state == State.UNUSED;
    }
}
