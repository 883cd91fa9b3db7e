package dev.meterstream.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The rule of docs/architecture.md, "Where things are", checked on the compiled main classes of every module:
 * <pre>
 *   contract  &lt;-  support  &lt;-  ingest-api, stream-processor, query-api   (no service imports another)
 *   client (the JDK only; nothing of the system imports it)  &lt;-  cli (the command; Jackson besides)
 *      ^            ^
 *      +-- infra ---+  &lt;-  loadtest (the benchmarks and load runs start the services as processes)
 * </pre>
 * and no package cycles anywhere. Tests may cross these lines (query-api's fixture runs the real processor).
 */
class DependencyRuleTest {
    private static final String[] CONTRACT = {"dev.meterstream.event..", "dev.meterstream.schema..",
        "dev.meterstream.meter..", "dev.meterstream.wire.."};
    private static final String SUPPORT = "dev.meterstream.support..";
    private static final String INGEST = "dev.meterstream.ingest..";
    private static final String PROCESSOR = "dev.meterstream.processor..";
    private static final String QUERY = "dev.meterstream.query..";
    private static final String INFRA = "dev.meterstream.infra..";
    private static final String LOADTEST = "dev.meterstream.loadtest..";
    private static final String CLIENT = "dev.meterstream.client..";
    private static final String CLI = "dev.meterstream.cli..";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.meterstream");

    @Test
    void shouldFindEveryModulesClasses() {
        // A rule over no classes passes whatever the code does: make sure each module was read.
        for (final String module : new String[] {CONTRACT[0], CONTRACT[1], CONTRACT[2], CONTRACT[3], SUPPORT, INGEST,
            PROCESSOR, QUERY, INFRA, LOADTEST, CLIENT, CLI}) {
            assertFalse(MAIN.that(JavaClass.Predicates.resideInAPackage(module)).isEmpty(), "no class in " + module);
        }
    }

    @Test
    void contractDependsOnTheJdkAndJacksonOnly() {
        classes().that().resideInAnyPackage(CONTRACT)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.fasterxml.jackson..",
                        CONTRACT[0], CONTRACT[1], CONTRACT[2], CONTRACT[3])
                .because("contract is the event contract only: no Kafka, Cassandra or Helidon type")
                .check(MAIN);
    }

    @Test
    void supportDependsOnNoServiceAndNoTooling() {
        noClasses().that().resideInAPackage(SUPPORT)
                .should().dependOnClassesThat().resideInAnyPackage(INGEST, PROCESSOR, QUERY, INFRA, LOADTEST)
                .check(MAIN);
    }

    @Test
    void noServiceImportsAnotherServiceOrTheTooling() {
        noClasses().that().resideInAPackage(INGEST)
                .should().dependOnClassesThat().resideInAnyPackage(PROCESSOR, QUERY, INFRA, LOADTEST)
                .check(MAIN);
        noClasses().that().resideInAPackage(PROCESSOR)
                .should().dependOnClassesThat().resideInAnyPackage(INGEST, QUERY, INFRA, LOADTEST)
                .check(MAIN);
        noClasses().that().resideInAPackage(QUERY)
                .should().dependOnClassesThat().resideInAnyPackage(INGEST, PROCESSOR, INFRA, LOADTEST)
                .check(MAIN);
    }

    @Test
    void infraStartsTheServicesWithoutImportingThem() {
        noClasses().that().resideInAPackage(INFRA)
                .should().dependOnClassesThat().resideInAnyPackage(INGEST, PROCESSOR, QUERY, LOADTEST)
                .because("infra starts services as processes by their main class name")
                .check(MAIN);
    }

    @Test
    void theLoadToolingStartsTheServicesWithoutImportingThem() {
        noClasses().that().resideInAPackage(LOADTEST)
                .should().dependOnClassesThat().resideInAnyPackage(INGEST, PROCESSOR, QUERY)
                .check(MAIN);
    }

    @Test
    void theProducersClientDependsOnTheJdkOnlyAndNothingOfTheSystemOnIt() {
        classes().that().resideInAPackage(CLIENT)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", CLIENT)
                .because("a producer's application must not have to reconcile our dependencies with its own")
                .check(MAIN);
        noClasses().that().resideInAnyPackage(CONTRACT[0], CONTRACT[1], CONTRACT[2], CONTRACT[3], SUPPORT, INGEST,
                        PROCESSOR, QUERY, INFRA, LOADTEST)
                .should().dependOnClassesThat().resideInAnyPackage(CLIENT, CLI)
                .check(MAIN);
    }

    @Test
    void theCommandSpeaksToTheApisOnlyThroughTheClientAndHttp() {
        classes().that().resideInAPackage(CLI)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.fasterxml.jackson..", CLIENT, CLI)
                .because("the command is a producer and an analyst like any other, not a part of the services")
                .check(MAIN);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.meterstream.(**)").should().beFreeOfCycles().check(MAIN);
    }
}
