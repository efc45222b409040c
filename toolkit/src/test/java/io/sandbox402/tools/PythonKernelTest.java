package io.sandbox402.tools;

import static io.sandbox402.testing.ScriptedChatModel.json;
import static io.sandbox402.testing.ScriptedChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import io.sandbox402.sandbox.local.LocalProvider;
import io.sandbox402.testing.Prerequisites;
import io.sandbox402.testing.ScriptedChatModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stateful Python session of {@link CodeInterpreterTools} on the local sandbox. */
class PythonKernelTest {
    interface Assistant {
        String chat(@MemoryId String conversation, @UserMessage String message);
    }

    LocalProvider local;
    SandboxSessions sessions;
    CodeInterpreterTools tools;
    List<CellResult> cells = new ArrayList<>();

    @BeforeEach
    void start() {
        local = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(local.isAvailable(), local.description());
        sessions = SandboxSessions.builder().provider(local).build();
        tools = new CodeInterpreterTools(sessions, new CodeRunListener() {
            @Override
            public void cellFinished(Object memoryId, CellResult cell) {
                cells.add(cell);
            }
        });
    }

    @AfterEach
    void stop() {
        sessions.close();
        local.close();
        assertThat(local.runningSandboxes()).isZero();
    }

    @Test
    void should_keep_variables_between_calls_when_the_model_runs_two_cells() {
        // given a model that sets a variable, then uses it
        ScriptedChatModel model = new ScriptedChatModel(
                toolCall("run_code", "{\"language\":\"python\",\"code\":" + json("x = 41") + "}"),
                toolCall("run_code", "{\"language\":\"python\",\"code\":" + json("x + 1") + "}"),
                request -> ScriptedChatModel.answerOf("The tool said:\n" + ScriptedChatModel.lastToolResult(request)));
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(model)
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50))
                .tools(tools)
                .build();

        // when
        String reply = assistant.chat("c1", "Add one to 41 in two steps.");

        // then
        assertThat(tools.stateful()).isTrue();
        assertThat(reply).contains("session: stateful python, cell 2 (").contains("exit_code: 0\n")
                .contains("stdout:\n(nothing was printed)").endsWith("value:\n42");
        assertThat(cells).extracting(CellResult::value).containsExactly(null, "42");
    }

    @Test
    void should_hide_the_value_when_the_cell_ends_with_a_semicolon() {
        String result = tools.runCode("c1", "python", "x = 41\nx + 1;");

        assertThat(result).doesNotContain("value:");
    }

    @Test
    void should_keep_imports_and_definitions_when_later_cells_use_them() {
        tools.runCode("c1", "python", "import math\ndef area(r):\n    return math.pi * r * r\ndata = [1, 2, 3]");

        String result = tools.runCode("c1", "python", "print(round(area(2), 2))\nsum(data)");

        assertThat(result).contains("stdout:\n12.57\n").contains("value:\n6");
    }

    @Test
    void should_point_the_traceback_at_the_cell_line_when_a_cell_raises() {
        tools.runCode("c1", "python", "def f(n):\n    return 1 / n");

        String result = tools.runCode("c1", "python", "a = 1\nf(0)");

        assertThat(result).contains("exit_code: 1 (the cell raised ZeroDivisionError)\n")
                .contains("error:\nTraceback (most recent call last):\n  File \"<cell 2>\", line 2, in <module>\n    f(0)\n"
                        + "  File \"<cell 1>\", line 2, in f\n    return 1 / n")
                .endsWith("ZeroDivisionError: division by zero")
                .doesNotContain("python_kernel.py");
        assertThat(cells.get(1).error()).isEqualTo(new CellResult.Error("ZeroDivisionError", "division by zero",
                cells.get(1).error().traceback()));
    }

    @Test
    void should_name_the_cell_when_its_syntax_is_wrong() {
        String result = tools.runCode("c1", "python", "x = 1\nif x\n    print(x)");

        assertThat(result).contains("exit_code: 1 (the cell raised SyntaxError)")
                .contains("File \"<cell 1>\", line 2");
    }

    @Test
    void should_list_the_files_a_cell_creates_or_changes() {
        tools.runCode("c1", "python", "open('old.txt', 'w').write('a')");

        String result = tools.runCode("c1", "python",
                "import os\nos.makedirs('out', exist_ok=True)\nopen('out/table.csv', 'w').write('a,b\\n1,2\\n')\n"
                        + "open('old.txt', 'w').write('abc')");

        assertThat(result).endsWith("files:\n- old.txt (3 bytes, changed)\n- out/table.csv (8 bytes, new)");
        assertThat(cells.get(1).files()).containsExactly(new CellResult.File("old.txt", 3, false, false),
                new CellResult.File("out/table.csv", 8, true, false));
    }

    @Test
    void should_say_the_state_was_lost_when_a_cell_killed_the_session() {
        // given a session with a variable
        tools.runCode("c1", "python", "x = 41");

        // when a cell ends the kernel, then the model runs another
        String killed = tools.runCode("c1", "python", "import os\nprint('bye', flush=True)\nos._exit(3)");
        String next = tools.runCode("c1", "python", "print('x' in globals())\n1 + 1");

        // then
        assertThat(killed).contains("exit_code: 137 (the Python session ended while running this cell")
                .contains("stdout:\nbye\n");
        assertThat(next).contains("note: The Python session was restarted: variables from earlier cells are gone.\n")
                .contains("session: stateful python, cell 1 (").contains("stdout:\nFalse\n").endsWith("value:\n2");
        assertThat(cells.get(2).restarted()).isTrue();
    }

    @Test
    void should_interrupt_a_cell_at_its_timeout_and_keep_the_session() {
        tools.runCode("c1", "python", "x = 41");

        String result = tools.runCode("c1", "python", "import time\nprint('started', flush=True)\ntime.sleep(30)", 1);
        String after = tools.runCode("c1", "python", "x + 1");

        assertThat(result).contains("exit_code: 124 (timed out after 1 s: the cell was interrupted with KeyboardInterrupt;"
                + " the session and its variables are kept)").contains("stdout:\nstarted\n").contains("KeyboardInterrupt");
        assertThat(after).endsWith("value:\n42").doesNotContain("restarted");
    }

    @Test
    void should_end_the_session_and_say_so_when_a_timed_out_cell_ignores_the_interrupt() {
        // given a variable, then a cell that ignores SIGINT
        tools.runCode("c1", "python", "x = 41");

        // when it runs past its timeout
        String result = tools.runCode("c1", "python",
                "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(30)", 1);
        String next = tools.runCode("c1", "python", "'x' in globals()");

        // then
        assertThat(result).contains("exit_code: 124 (timed out after 1 s: the cell was interrupted and did not stop,"
                + " so the Python session was ended; variables from earlier cells are gone)");
        assertThat(next).contains("note: The Python session was restarted: variables from earlier cells are gone.\n")
                .endsWith("value:\nFalse");
    }

    @Test
    void should_hint_at_install_packages_when_a_module_is_missing() {
        String result = tools.runCode("c1", "python", "import matplotlib_is_not_here");

        assertThat(result).contains("ModuleNotFoundError: No module named 'matplotlib_is_not_here'")
                .endsWith("hint: the module is not installed in this sandbox. Install it with install_packages"
                        + " (for instance [\"matplotlib\"]), then run the cell again; the session keeps its variables.");
    }

    @Test
    void should_save_an_open_figure_as_png_when_a_cell_ends() {
        // given a stand-in for matplotlib.pyplot, as the real one is not installed here
        tools.writeFile("c1", "matplotlib/__init__.py", "");
        tools.writeFile("c1", "matplotlib/pyplot.py", String.join("\n",
                "_open = []",
                "class Figure:",
                "    def savefig(self, path, format=None):",
                "        open(path, 'wb').write(b'\\x89PNG fake')",
                "def plot(*args):",
                "    if not _open: _open.append(Figure())",
                "def show():",
                "    pass",
                "def get_fignums():",
                "    return list(range(1, len(_open) + 1))",
                "def figure(number):",
                "    return _open[number - 1]",
                "def close(which):",
                "    _open.clear()",
                ""));

        // when
        String first = tools.runCode("c1", "python", "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\n"
                + "plt.plot([2, 3])\nplt.show()");
        String second = tools.runCode("c1", "python", "plt.plot([3, 4])\nplt.show()\nplt.plot([5])");

        // then
        assertThat(first).endsWith("files:\n- outputs/cell-1-figure-1.png (9 bytes, new, figure)\n"
                + "- outputs/cell-1-figure-2.png (9 bytes, new, figure)");
        assertThat(second).endsWith("files:\n- outputs/cell-2-figure-1.png (9 bytes, new, figure)\n"
                + "- outputs/cell-2-figure-2.png (9 bytes, new, figure)");
    }

    @Test
    void should_import_a_package_installed_after_the_session_started() {
        // given a running session, then a package put where pip install --user puts it
        tools.runCode("c1", "python", "x = 41");
        tools.runCode("c1", "bash", "d=$(python3 -m site --user-site) && mkdir -p \"$d\" && echo 'ANSWER = 42' > \"$d/late_package.py\"");

        // when
        String result = tools.runCode("c1", "python", "import late_package\nlate_package.ANSWER + x - 41");

        // then
        assertThat(result).contains("exit_code: 0\n").endsWith("value:\n42");
    }

    @Test
    void should_capture_what_subprocesses_print_when_a_cell_runs_them() {
        String result = tools.runCode("c1", "python", "import os, sys\nprint('before', flush=True)\n"
                + "os.system('echo from-shell; echo oops >&2')\nprint('after')");

        assertThat(result).contains("stdout:\nbefore\nfrom-shell\nafter\n").contains("stderr:\noops\n");
    }

    @Test
    void should_tell_the_model_the_state_was_lost_when_its_sandbox_was_replaced() {
        // given a session whose sandbox ended behind its back
        tools.runCode("c1", "python", "x = 41");
        sessions.sandbox("c1").terminate();

        // when
        String failed = tools.runCode("c1", "python", "x");
        String next = tools.runCode("c1", "python", "'x' in globals()");

        // then
        assertThat(failed).startsWith("SANDBOX ERROR: ").endsWith("the next call creates a new one, without the old"
                + " one's files, packages and Python variables.");
        assertThat(next).contains("note: The Python session was restarted: variables from earlier cells are gone.\n")
                .endsWith("value:\nFalse");
    }

    @Test
    void should_run_each_call_afresh_when_the_session_is_stateless() {
        // given
        SandboxSessions stateless = SandboxSessions.builder().provider(local).statefulPython(false).build();
        try {
            CodeInterpreterTools fresh = new CodeInterpreterTools(stateless);

            // when
            fresh.runCode("c1", "python", "x = 41");
            String result = fresh.runCode("c1", "python", "print(x + 1)");

            // then
            assertThat(fresh.stateful()).isFalse();
            assertThat(result).contains("exit_code: 1").contains("NameError: name 'x' is not defined")
                    .doesNotContain("session:");
        } finally {
            stateless.close();
        }
    }

    @Test
    void should_run_javascript_and_bash_as_fresh_processes() {
        String bash = tools.runCode("c1", "bash", "X=41; echo $X");
        String again = tools.runCode("c1", "bash", "echo \"[$X]\"");

        assertThat(bash).contains("stdout:\n41\n").doesNotContain("session:");
        assertThat(again).contains("stdout:\n[]\n");
    }
}
