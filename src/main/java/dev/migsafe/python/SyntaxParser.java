package dev.migsafe.python;

import dev.migsafe.python.antlr.PythonLexer;
import dev.migsafe.python.antlr.PythonLexerBase;
import dev.migsafe.python.antlr.PythonParser;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Turns Python source text into an ANTLR parse tree, fast: ANTLR's SLL prediction with a bail-out
 * strategy first, and only when that fails the full LL prediction with error reporting (SLL
 * success gives the same tree). One instance keeps one lexer and one parser for all files of a
 * run; it is not thread-safe.
 */
public final class SyntaxParser {

    /** The tree and tokens of a parsed file, or the first problem that stopped parsing. */
    public record Result(PythonParser.File_inputContext tree, CommonTokenStream tokens, boolean usedLl,
                         SyntaxProblem problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    private final PythonLexer lexer = new PythonLexer(CharStreams.fromString(""));
    private final PythonParser parser = new PythonParser(new CommonTokenStream(lexer));
    private final FirstError firstError = new FirstError();

    public SyntaxParser() {
        lexer.removeErrorListeners();
        parser.removeErrorListeners();
        parser.addErrorListener(firstError);
    }

    public Result parse(String text, String sourceName) {
        lexer.setInputStream(CharStreams.fromString(text, sourceName));
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        // Lex everything first: a file nested deeper than Python allows is rejected before the
        // recursive-descent parser could exhaust the stack on it.
        tokens.fill();
        SyntaxProblem lexed = lexerProblem();
        if (lexed != null && lexed.rule().equals(SyntaxProblem.INPUT_TOO_LARGE)) {
            return new Result(null, tokens, false, lexed);
        }
        parser.setTokenStream(tokens);
        firstError.clear();

        PythonParser.File_inputContext tree;
        boolean usedLl = false;
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new BailErrorStrategy());
        try {
            tree = parser.file_input();
        } catch (ParseCancellationException e) {
            usedLl = true;
            tokens.seek(0);
            parser.reset();
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            parser.setErrorHandler(new DefaultErrorStrategy());
            try {
                tree = parser.file_input();
            } catch (ParseCancellationException stopped) {
                tree = null; // stopped at the first error (FirstError): only that one is reported
            }
        }
        SyntaxProblem problem = earliest(lexerProblem(), firstError.problem);
        if (problem == null) {
            problem = invalidToken(tokens);
        }
        return new Result(problem == null ? tree : null, tokens, usedLl, problem);
    }

    private SyntaxProblem lexerProblem() {
        for (PythonLexerBase.Problem p : lexer.problems()) {
            return p.tooDeep() ? SyntaxProblem.tooLarge(p.line(), p.column(), p.message())
                    : SyntaxProblem.syntax(p.line(), p.column(), p.message());
        }
        return null;
    }

    /** ERROR_CHAR tokens the parser happened to accept nowhere still make the file invalid. */
    private static SyntaxProblem invalidToken(CommonTokenStream tokens) {
        for (Token t : tokens.getTokens()) {
            if (t.getType() == PythonLexer.ERROR_CHAR) {
                return SyntaxProblem.syntax(t.getLine(), t.getCharPositionInLine() + 1, SyntaxErrors.errorChar(t));
            }
        }
        return null;
    }

    private static SyntaxProblem earliest(SyntaxProblem a, SyntaxProblem b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        boolean aFirst = a.line() < b.line() || (a.line() == b.line() && a.column() <= b.column());
        return aFirst ? a : b;
    }

    /** Keeps the first syntax error the LL pass reports, phrased the way Python users read them. */
    private static final class FirstError extends BaseErrorListener {
        SyntaxProblem problem;

        void clear() {
            problem = null;
        }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int column,
                                String msg, RecognitionException e) {
            if (problem == null) {
                Token t = offending instanceof Token token ? token : null;
                TokenStream tokens = recognizer instanceof Parser p ? p.getInputStream() : null;
                problem = t == null || tokens == null
                        ? SyntaxProblem.syntax(line, column + 1, "invalid syntax")
                        : SyntaxErrors.describe(tokens, t);
            }
            // Recovering through the rest of the file costs ANTLR time in proportion to what is
            // left for every later error (an unclosed bracket before 5,000 operations took minutes),
            // and only the first error is reported.
            throw new ParseCancellationException(msg);
        }
    }
}
