package dev.migsafe.python;

import dev.migsafe.git.LocalFile;
import dev.migsafe.git.UnreadableFile;
import dev.migsafe.python.ast.Module;
import java.util.function.Supplier;

/**
 * The front door of the python layer: bytes of a file in, a syntax tree or a problem out, never
 * an exception. One instance parses every file of a run (ANTLR's prediction cache then warms up
 * once); it is not thread-safe.
 *
 * Deep nesting is handled by catching StackOverflowError: callers run parsing on a thread with a
 * large stack (see {@link BigStack}) so that only absurd inputs reach that limit.
 */
public final class ModuleParser {

    /** The largest real migration files seen are a few MB; 16 MB leaves a wide margin. */
    public static final int DEFAULT_MAX_BYTES = LocalFile.MAX_BYTES;

    /** How the message of a problem that comes from reading the file, not from its content, starts. */
    public static final String CANNOT_READ = "cannot read the file: ";

    /** A parsed file: the module, or the problem; usedLl tells whether the LL fallback ran. */
    public record Parsed(Module module, SyntaxProblem problem, boolean usedLl) {
        public boolean ok() {
            return problem == null;
        }
    }

    /** Made on the first parse: building ANTLR's lexer and parser costs a cold JVM ~20 ms. */
    private SyntaxParser parser;
    private final int maxBytes;
    private final ParseCache cache;

    public ModuleParser() {
        this(DEFAULT_MAX_BYTES);
    }

    public ModuleParser(int maxBytes) {
        this(maxBytes, ParseCache.inMemory());
    }

    /** A parser that remembers results by blob id in {@code cache}. */
    public ModuleParser(ParseCache cache) {
        this(DEFAULT_MAX_BYTES, cache);
    }

    ModuleParser(int maxBytes, ParseCache cache) {
        this.maxBytes = maxBytes;
        this.cache = cache;
    }

    /**
     * Parses the file whose git blob id is {@code blobId}, or takes the result from the cache;
     * the bytes are only read on a miss. A null blob id (a file not hashed) is always parsed. A
     * file whose bytes cannot be had ({@link UnreadableFile}) is a P006 problem.
     */
    public Parsed parse(String blobId, Supplier<byte[]> bytes, String sourceName) {
        ParseCache.Entry entry = cache.get(blobId);
        Parsed cached = entry == null ? null : entry.parsed();
        if (cached != null) {
            return cached;
        }
        byte[] content;
        try {
            content = bytes.get();
        } catch (UnreadableFile e) {
            // Missing from this clone or not a file: no tree, and nothing cached (the object
            // may be fetched later).
            return new Parsed(null, SyntaxProblem.unreadable(e.getMessage()), false);
        } catch (LocalFile.Unreadable e) {
            return unreadable(e); // says nothing about the blob: not cached
        }
        Parsed parsed = parse(content, sourceName);
        cache.put(blobId, parsed, entry == null ? null : entry.summary());
        return parsed;
    }

    /**
     * A file whose bytes cannot be read (see {@link LocalFile}), as a problem of that file: P005
     * when it could never be read whole (over the size limit, a device, a pipe), else P001 with
     * the reason. Never cached: it says nothing about a blob's content.
     */
    public static Parsed unreadable(LocalFile.Unreadable e) {
        return new Parsed(null, switch (e.problem()) {
            case FAILED, NOT_A_FILE -> SyntaxProblem.unreadable(CANNOT_READ + e.reason()); // P006, as for a missing object
            case TOO_LARGE -> SyntaxProblem.tooLarge(1, 1, e.reason());
        }, false);
    }

    public ParseCache cache() {
        return cache;
    }

    public Parsed parse(byte[] bytes, String sourceName) {
        if (bytes.length > maxBytes) {
            return new Parsed(null, SyntaxProblem.tooLarge(1, 1, "file is " + bytes.length
                    + " bytes, over the limit of " + maxBytes + " bytes"), false);
        }
        SourceDecoder.Decoded decoded = SourceDecoder.decode(bytes);
        if (decoded.problem() != null) {
            return new Parsed(null, decoded.problem(), false);
        }
        return parse(decoded.text(), sourceName);
    }

    public Parsed parse(String text, String sourceName) {
        try {
            if (parser == null) {
                parser = new SyntaxParser();
            }
            SyntaxParser.Result result = parser.parse(text, sourceName);
            if (!result.ok()) {
                return new Parsed(null, result.problem(), result.usedLl());
            }
            return new Parsed(AstBuilder.build(result.tree(), result.tokens(), text), null, result.usedLl());
        } catch (StackOverflowError e) {
            return new Parsed(null, SyntaxProblem.tooLarge(1, 1,
                    "expressions or blocks are nested too deeply to analyse"), false);
        }
    }
}
