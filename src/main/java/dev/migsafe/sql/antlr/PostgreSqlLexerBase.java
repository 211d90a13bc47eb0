package dev.migsafe.sql.antlr;

import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.Lexer;

/**
 * The part of the PostgreSQL lexer a grammar cannot say: a dollar-quoted string ends at the same
 * tag it opened with ($fn$ ... $fn$, with $$ or $x$ free inside). An unterminated one runs to the
 * end of the text, as PostgreSQL would read it (and then fail): the lexer never stops on input.
 */
public abstract class PostgreSqlLexerBase extends Lexer {

    protected PostgreSqlLexerBase(CharStream input) {
        super(input);
    }

    /** Called after the opening tag: consumes the body and the closing tag. */
    protected void scanDollarBody() {
        String tag = getText();
        int n = tag.length();
        while (_input.LA(1) != CharStream.EOF) {
            if (_input.LA(1) == '$' && closesWith(tag, n)) {
                for (int i = 0; i < n; i++) {
                    getInterpreter().consume(_input);
                }
                return;
            }
            getInterpreter().consume(_input);
        }
    }

    private boolean closesWith(String tag, int n) {
        for (int i = 0; i < n; i++) {
            // Tags are case-sensitive: $A$ does not close $a$.
            if (_input.LA(i + 1) != tag.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
