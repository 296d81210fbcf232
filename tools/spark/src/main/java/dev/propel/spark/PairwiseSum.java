package dev.propel.spark;

import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sums the workers' partials in a fixed binary tree over their partition index: level by level, the
 * partials {@code 2j} and {@code 2j + 1} become partial {@code j}, until two are left, which the driver
 * adds. Every addition has exactly two operands, and IEEE addition is commutative, so the result is the
 * same bits however Spark schedules the tasks or orders their arrival — unlike {@code treeAggregate},
 * whose combine order follows task completion. Each level above the last is one shuffle of
 * gradient-sized values among the executors; the driver receives two.
 */
final class PairwiseSum {
    private PairwiseSum() {
    }

    static ShardGradient sum(JavaPairRDD<Integer, ShardGradient> partials, int count) {
        int keys = count;
        JavaPairRDD<Integer, ShardGradient> level = partials;
        while (keys > 2) {
            int next = (keys + 1) / 2;
            level = level.mapToPair(t -> new Tuple2<>(t._1() / 2, t._2())).reduceByKey(ShardGradient::plus, next);
            keys = next;
        }
        List<Tuple2<Integer, ShardGradient>> last = new ArrayList<>(level.collect());
        last.sort(Comparator.comparing(Tuple2::_1));
        ShardGradient total = ShardGradient.empty();
        for (Tuple2<Integer, ShardGradient> t : last) total = total.plus(t._2());
        return total;
    }
}
