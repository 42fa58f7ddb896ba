package com.vivesphere.mq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.vivesphere.mq.common.topology.QueueType;
import com.vivesphere.mq.testing.LoopbackPort;

import picocli.CommandLine;

/** Errors an operator meets (each with its own exit code and a message saying what to check), help, completion. */
class CliBehaviourIT extends CliTestBase {

    @Test
    void anUnreachableBrokerExitsWith3() throws Exception {
        Result result = mqctlAsIs("dlq", "list", "--host", "127.0.0.1", "--port", String.valueOf(LoopbackPort.free()), "--timeout", "2s");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(result.err()).startsWith("mqctl: cannot reach RabbitMQ at 127.0.0.1:").contains("RABBITMQ_HOST");
    }

    @Test
    void refusedCredentialsExitWith4() {
        Result result = mqctl("topology", "apply", "--password", "not-the-password");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.ACCESS_REFUSED);
        assertThat(result.err()).contains("refused the credentials");
    }

    @Test
    void aMissingVhostOrQueueExitsWith5() {
        Result vhostMissing = mqctl("status", "--vhost", "no-such-vhost-" + vhost);
        Result queueMissing = mqctl("dlq", "list");

        assertThat(vhostMissing.exitCode()).as(vhostMissing.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(vhostMissing.err()).contains("does the vhost exist");
        assertThat(queueMissing.exitCode()).as(queueMissing.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(queueMissing.err()).contains("no queue 'dead_letter_queue'");
    }

    @Test
    void anUnreachableManagementApiExitsWith3AndSaysWhichUrl() throws Exception {
        String url = "http://127.0.0.1:" + LoopbackPort.free();
        Result result = mqctl("topology", "verify", "--management-url", url);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(result.err()).contains("cannot reach the RabbitMQ management API at " + url, "RABBITMQ_MANAGEMENT_URL");
    }

    @Test
    void aUsageErrorIsOneLineAndAHintExitingWith2() {
        Result unknownOption = mqctlAsIs("dlq", "list", "--xyzzy");
        Result missingParameter = mqctlAsIs("dlq", "show");
        Result badValue = mqctlAsIs("dlq", "replay", "--all", "--rate", "fast");

        assertThat(unknownOption.exitCode()).as(unknownOption.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownOption.err().lines()).containsExactly("mqctl: Unknown option: '--xyzzy'",
                "Try 'mqctl dlq list --help'.");
        assertThat(missingParameter.exitCode()).as(missingParameter.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(missingParameter.err().lines()).containsExactly("mqctl: Missing required parameter: 'ID'",
                "Try 'mqctl dlq show --help'.");
        assertThat(badValue.exitCode()).as(badValue.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(badValue.err().lines()).hasSize(2).last().isEqualTo("Try 'mqctl dlq replay --help'.");
        assertThat(badValue.err().lines().findFirst()).hasValueSatisfying(line -> assertThat(line)
                .startsWith("mqctl: Invalid value for option '--rate'").contains("'fast'"));
        assertThat(unknownOption.out() + missingParameter.out() + badValue.out()).isEmpty();
    }

    @Test
    void aMistypedOptionIsNamedWithTheOptionsItResembles() {
        Result result = mqctlAsIs("dlq", "list", "--limt");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err().lines()).hasSize(2).first().isEqualTo("mqctl: Unknown option: '--limt' (did you mean --limit?)");
    }

    @Test
    void everyCommandHasHelpAndEveryLeafCommandExamples() {
        List<String[]> paths = new ArrayList<>();
        collect(new CommandLine(new Mqctl()), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThanOrEqualTo(16);
        for (String[] path : paths) {
            List<String> args = new ArrayList<>(List.of(path));
            args.add("--help");
            Result help = mqctlAsIs(args.toArray(String[]::new));
            assertThat(help.exitCode()).as(String.join(" ", path)).isZero();
            assertThat(help.out()).as(String.join(" ", path)).contains("Usage: mqctl");
            CommandLine command = new CommandLine(new Mqctl());
            for (String name : path) {
                command = command.getSubcommands().get(name);
            }
            if (command.getSubcommands().isEmpty() && !"generate-completion".equals(path[path.length - 1])) {
                assertThat(help.out()).as(String.join(" ", path)).contains("Examples:", "Exit codes:");
            }
        }
    }

    private static void collect(CommandLine command, List<String> prefix, List<String[]> out) {
        out.add(prefix.toArray(String[]::new));
        command.getSubcommands().forEach((name, sub) -> {
            List<String> path = new ArrayList<>(prefix);
            path.add(name);
            collect(sub, path, out);
        });
    }

    @Test
    void theCompletionScriptIsGeneratedFromTheCommands() {
        Result result = mqctlAsIs("generate-completion");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("complete -F _complete_mqctl", "dlq", "replay", "--older-than", "topology", "verify");
    }

    @Test
    void statusShowsTheQueuesAndFallsBackToAmqpWithoutTheManagementApi() throws Exception {
        declareTopology(QueueType.CLASSIC);
        publish("", "log_queue", properties("m1", java.util.Map.of()), "{}");

        Result status = mqctl("status");

        assertThat(status.exitCode()).as(status.toString()).isZero();
        // (the management API's figures lag by a few seconds: the depth is checked over AMQP below)
        assertThat(status.out()).contains("RabbitMQ 3.", "management  ok", "clients")
                .containsPattern("log_queue +classic +\\d+ +0 +0")
                .contains("delay levels (22)", "warning: log_queue has no consumer");
        Result json = mqctl("status", "--json");
        Result noManagement = mqctl("status", "--management-url", "http://127.0.0.1:" + LoopbackPort.free());

        assertThat(json.out()).contains("\"queues\"", "\"warnings\"");
        assertThat(noManagement.exitCode()).as(noManagement.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(noManagement.out()).containsPattern("log_queue +\\? +1 +0 +0").contains("management  unavailable");
    }
}
