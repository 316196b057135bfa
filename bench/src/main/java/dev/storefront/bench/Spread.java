package dev.storefront.bench;

import java.util.Arrays;
import java.util.List;

/** Median and range of repeated measurements (the machine is shared and noisy). */
public record Spread(double median, double min, double max, int runs) {

    public static Spread of(List<Double> values) {
        double[] v = values.stream().filter(d -> !Double.isNaN(d)).mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Spread(median, v[0], v[v.length - 1], v.length);
    }

    public static Spread of(double... values) {
        return of(Arrays.stream(values).boxed().toList());
    }

    public boolean isEmpty() {
        return runs == 0;
    }

    /** Half the range relative to the median, e.g. "±4%". */
    public String relative() {
        if (runs < 2 || median == 0 || Double.isNaN(median)) {
            return "";
        }
        return "±" + Math.round((max - min) / 2 / Math.abs(median) * 100) + "%";
    }
}
