package org.tl4j.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;
import org.tl4j.data.InvalidInputException;

/**
 * Parses the {@code --schedule} option into an ND4J schedule, all counted in iterations (updates):
 * <ul>
 *   <li>{@code constant}</li>
 *   <li>{@code step:every=N,factor=F} (multiply by F every N updates)</li>
 *   <li>{@code exp:gamma=G} (multiply by G every update)</li>
 *   <li>{@code 1/t:tau=N} (eps0 * tau / max(t, tau), Bengio 2012)</li>
 * </ul>
 * Any of them takes {@code warmup=N} as well, e.g. {@code 1/t:tau=2000,warmup=100}.
 */
public final class Schedules {

    /** The forms accepted, for error messages and --help. */
    public static final String FORMS = "constant | step:every=N,factor=F | exp:gamma=G | 1/t:tau=N  (each may add ,warmup=N)";

    private Schedules() {
    }

    public static ISchedule parse(String spec, double baseRate) {
        String text = spec.strip().toLowerCase(Locale.ROOT);
        // The kind ends at ':' (settings follow) or ',' ("constant,warmup=N" has no settings of its own).
        int colon = text.indexOf(':');
        int comma = text.indexOf(',');
        int end = colon < 0 ? comma : comma < 0 ? colon : Math.min(colon, comma);
        String kind = end < 0 ? text : text.substring(0, end);
        Map<String, Double> args = arguments(spec, end < 0 ? "" : text.substring(end + 1));
        Double warmup = args.remove("warmup");
        ISchedule schedule = switch (kind) {
            case "constant" -> new FixedSchedule(baseRate);
            case "step" -> new StepSchedule(ScheduleType.ITERATION, baseRate,
                    require(spec, args, "factor"), require(spec, args, "every"));
            case "exp" -> new ExponentialSchedule(ScheduleType.ITERATION, baseRate, require(spec, args, "gamma"));
            case "1/t" -> new InverseTimeSchedule(ScheduleType.ITERATION, baseRate, require(spec, args, "tau"));
            default -> throw new InvalidInputException("unknown schedule '" + spec + "'; use " + FORMS);
        };
        if (!args.isEmpty()) {
            throw new InvalidInputException("schedule '" + spec + "' has unknown settings " + args.keySet()
                    + "; use " + FORMS);
        }
        return warmup == null ? schedule : new LinearWarmupSchedule(schedule, (int) Math.round(warmup));
    }

    private static Map<String, Double> arguments(String spec, String text) {
        Map<String, Double> args = new LinkedHashMap<>();
        if (text.isBlank()) {
            return args;
        }
        for (String pair : text.split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2) {
                throw new InvalidInputException("schedule '" + spec + "': expected key=value, got '" + pair + "'; use " + FORMS);
            }
            try {
                double value = Double.parseDouble(kv[1].strip());
                if (!(value > 0) || Double.isInfinite(value)) {
                    throw new NumberFormatException();
                }
                args.put(kv[0].strip(), value);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("schedule '" + spec + "': " + kv[0].strip()
                        + " must be a positive number, got '" + kv[1] + "'");
            }
        }
        return args;
    }

    private static double require(String spec, Map<String, Double> args, String key) {
        Double value = args.remove(key);
        if (value == null) {
            throw new InvalidInputException("schedule '" + spec + "' needs " + key + "=...; use " + FORMS);
        }
        return value;
    }
}
