package dev.propel.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code propel bench}: Propel's side of the side-by-side benchmarks. Each subcommand prints its
 * figure (with {@code --json}, one object) so that {@code tools/bench/compare.py} can put it next to
 * the OpenBLAS and PyTorch references measured on the same work.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure Propel on the reference workloads (compare with tools/bench/compare.py).",
                "Figures are the best of several timed rounds after a warm-up; the machine's other load shows in them."},
        subcommands = {BenchGemmCommand.class, BenchTrainCommand.class, BenchInferCommand.class, BenchPeakCommand.class})
final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private GlobalOptions global;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no benchmark given; use one of gemm, train, infer, peak");
    }
}
