package dev.migsafe.sql;

import dev.migsafe.sql.antlr.PostgreSqlLexer;
import dev.migsafe.sql.antlr.PostgreSqlParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Reads a SQL text into its statements and their {@link DbChange changes}. The text is lexed
 * once and cut at the semicolons between statements; each statement is parsed alone, first by
 * the full grammar (ANTLR's SLL prediction, then LL), then by the loose one, so one statement the
 * grammar does not know never costs the others. Nothing here throws on any input.
 */
public final class SqlReader {

    /** Statements longer than this many tokens are not parsed (a data dump): their kind is read from the first words. */
    private static final int MAX_TOKENS = 200_000;

    private SqlReader() {}

    public static List<SqlStatement> read(String sql) {
        PostgreSqlLexer lexer = new PostgreSqlLexer(CharStreams.fromString(sql));
        lexer.removeErrorListeners();
        CommonTokenStream all = new CommonTokenStream(lexer);
        all.fill();
        List<SqlStatement> out = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token t : all.getTokens()) {
            if (t.getType() == Token.EOF || t.getType() == PostgreSqlLexer.SEMI) {
                if (!current.isEmpty()) {
                    out.add(statement(sql, current));
                    current = new ArrayList<>();
                }
            } else if (t.getChannel() == Token.DEFAULT_CHANNEL) {
                current.add(t);
            }
        }
        return out;
    }

    private static SqlStatement statement(String sql, List<Token> tokens) {
        Token first = tokens.get(0);
        Token last = tokens.get(tokens.size() - 1);
        String text = sql.substring(first.getStartIndex(), last.getStopIndex() + 1);
        List<DbChange> changes;
        try {
            changes = tokens.size() > MAX_TOKENS ? null : parse(sql, tokens);
        } catch (RuntimeException | StackOverflowError e) {
            changes = null; // the grammar must never end a run: the statement is unknown
        }
        if (changes == null) {
            changes = List.of(Changes.unknown(null, "a statement migsafe's SQL grammar does not read"));
        }
        return new SqlStatement(text, first.getLine(), changes);
    }

    private static List<DbChange> parse(String sql, List<Token> tokens) {
        PostgreSqlParser.StatementContext full = (PostgreSqlParser.StatementContext) attempt(tokens, true);
        if (full != null) {
            return new Changes(sql).of(full);
        }
        PostgreSqlParser.LooseStatementContext loose = (PostgreSqlParser.LooseStatementContext) attempt(tokens, false);
        return loose == null ? null : new Changes(sql).ofLoose(loose);
    }

    /** The statement parsed by the full (or loose) rule, or null when it does not match. */
    private static ParserRuleContext attempt(List<Token> tokens, boolean full) {
        for (PredictionMode mode : new PredictionMode[] {PredictionMode.SLL, PredictionMode.LL}) {
            PostgreSqlParser parser = new PostgreSqlParser(new CommonTokenStream(new ListTokenSource(tokens)));
            parser.removeErrorListeners();
            parser.setErrorHandler(new BailErrorStrategy());
            parser.getInterpreter().setPredictionMode(mode);
            try {
                return full ? parser.statement() : parser.looseStatement();
            } catch (ParseCancellationException e) {
                // SLL can fail where LL succeeds; LL failing means the rule does not match
            }
        }
        return null;
    }
}
