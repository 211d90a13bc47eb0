package dev.migsafe.migration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.migsafe.Fixtures;
import dev.migsafe.report.ParseJson;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.approvaltests.Approvals;
import org.approvaltests.core.Options;
import org.approvaltests.namer.NamedEnvironment;
import org.approvaltests.namer.NamerFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole extracted model of every fixture migration, approved as the JSON `migsafe parse`
 * prints. A change to extraction shows up as a readable diff of these files.
 */
class FixtureMigrationsApprovalTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static Stream<Path> migrations() {
        return Fixtures.pythonFiles("shop").stream()
                .filter(p -> dev.migsafe.git.MigrationPaths.isMigrationFile(Fixtures.display(p)));
    }

    @ParameterizedTest
    @MethodSource("migrations")
    void extractedModel(Path file) throws Exception {
        String display = Fixtures.display(file);
        MigrationFile parsed = new MigrationReader().read(display, Fixtures.bytes(file));
        String name = display.replace("fixtures/shop/", "").replace("/migrations/", ".").replace(".py", "");
        try (NamedEnvironment env = NamerFactory.withParameters(name)) {
            Approvals.verify(JSON.writeValueAsString(ParseJson.record(parsed)), new Options().forFile().withExtension(".json"));
        }
    }
}
