package ser.pipeline.fuzz;

/** Jazzer settings shared by the fuzz tests (see FUZZING.md). */
public final class JazzerModes {

    private JazzerModes() {
    }

    /**
     * Without JAZZER_FUZZ the seeds run as plain regression tests: no agent hooks (installing
     * them and re-checking every loaded class took a minute or more here, for nothing: a finding
     * is an exception, no sanitizer is needed to see it). When fuzzing, hooks go only into our
     * own classes. Explicit -Djazzer.* settings win.
     */
    public static void configure() {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if ((fuzz == null || fuzz.isEmpty() || fuzz.equals("0")) && System.getProperty("jazzer.hooks") == null) {
            System.setProperty("jazzer.hooks", "false");
        }
        if (System.getProperty("jazzer.custom_hook_includes") == null) {
            System.setProperty("jazzer.custom_hook_includes", "ser.**");
        }
    }
}
