package dev.propel.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --spark without the Spark module on the class path (as in the plain CLI) says how to get it; misuse is a usage error. */
class SparkOptionTest {
    @Test
    void trainWithSparkButWithoutTheModuleSaysHowToGetIt() {
        Cli r = Cli.run("train", "--spark", "local[2]", "--spec", "examples/none.json", "--data", "sample");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--spark needs Propel's Spark module (propel-spark)") && r.err().contains("./propel-spark"), r.err());
    }

    @Test
    void predictOutputGoesWithSpark() {
        Cli r = Cli.run("predict", "model.pb", "--input", "x.csv", "--output", "out.parquet");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--output goes with --spark MASTER"), r.err());
        Cli s = Cli.run("predict", "model.pb", "--spark", "local[1]", "--input", "x.parquet");
        assertEquals(2, s.exitCode(), s.toString());
        assertTrue(s.err().contains("give both"), s.err());
        Cli same = Cli.run("predict", "model.pb", "--spark", "local[1]", "--input", "x.parquet", "--output", "model.pb");
        assertEquals(2, same.exitCode(), same.toString());
        assertTrue(same.err().contains("is an input of this command"), same.err());
    }

    @Test
    void forwardForwardWithSparkButWithoutTheModuleSaysHowToGetIt() {
        Cli r = Cli.run("train", "--spark", "local[2]", "--algorithm", "forward-forward", "--spec", "x.json", "--data", "sample");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--spark needs Propel's Spark module (propel-spark)"), r.err());
    }
}
