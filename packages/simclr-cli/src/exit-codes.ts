/** Exit code after Ctrl-C: the run stopped after its current step and wrote a checkpoint. */
export const EXIT_INTERRUPTED = 130;
