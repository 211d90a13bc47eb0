package dev.migsafe.pg;

import org.junit.jupiter.api.Assumptions;
import java.util.Arrays;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One PostgreSQL server for the whole test run, shared by every class that uses this extension
 * and closed (stopped, deleted) when the run ends. Where no server can be had, the tests that
 * take a {@link PgServer} parameter are skipped with the reason, printed once, and the rest of the
 * suite runs (tests of the same class that need no server too). With
 * {@code migsafe.pg.required=true} (or {@code MIGSAFE_PG_REQUIRED=1}, which CI sets once it has
 * installed PostgreSQL) an unavailable server is a failure instead: CI must not go green by
 * skipping the facts it is there to prove.
 */
public final class PgExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PgExtension.class);

    /** The server, or why there is none. Closed by JUnit when the root context closes. */
    private record Shared(PgServer server, String unavailable) implements AutoCloseable {
        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Shared shared = shared(context);
        if (shared.unavailable() != null && required()) {
            throw new IllegalStateException("PostgreSQL is required (migsafe.pg.required / MIGSAFE_PG_REQUIRED) "
                    + "but unavailable: " + shared.unavailable());
        }
    }

    /** Before each test (parameters are resolved after this): one that needs the server is skipped without it. */
    @Override
    public void beforeEach(ExtensionContext context) {
        Shared shared = shared(context);
        boolean needs = Arrays.asList(context.getRequiredTestMethod().getParameterTypes()).contains(PgServer.class);
        if (needs && shared.unavailable() != null) {
            Assumptions.abort("PostgreSQL lock-fact tests skipped: " + shared.unavailable());
        }
    }

    private static Shared shared(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent(Shared.class, k -> {
            try {
                return new Shared(PgServer.start(), null);
            } catch (PgServer.Unavailable e) {
                System.err.println("PostgreSQL lock-fact tests skipped: " + e.getMessage());
                return new Shared(null, e.getMessage());
            }
        }, Shared.class);
    }

    private static boolean required() {
        String p = System.getProperty("migsafe.pg.required");
        String e = System.getenv("MIGSAFE_PG_REQUIRED");
        return "true".equalsIgnoreCase(p) || "1".equals(e) || "true".equalsIgnoreCase(e);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PgServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context).server();
    }
}
