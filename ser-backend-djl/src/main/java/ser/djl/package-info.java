/**
 * The {@code djl} training backend: {@link ser.api.ArchitectureSpec} on DJL 0.36 with the PyTorch
 * engine (libtorch 2.7.1, CPU), loaded offline from the {@code pytorch-native-cpu} Maven jar.
 *
 * <ul>
 * <li>{@link ser.djl.DjlSequenceModelProvider} ({@code djl}, registered for
 * {@link java.util.ServiceLoader}) creates {@link ser.djl.DjlSequenceModel}s; settings
 * are {@code ser.backends.djl} in this module's {@code reference.conf}.</li>
 * <li>Tensors are kept by canonical name ({@link ser.api.ParameterNames}) in PyTorch layout, so
 * {@code parameters()} and {@code setParameters()} (and so the runner's weights file) copy them
 * as they are.</li>
 * <li>GRU layers call libtorch's fused GRU one direction at a time. The backward direction runs
 * on a copy of the batch in which only each sequence's valid prefix is reversed (a gather with a
 * per-batch index) and is reversed back the same way, so padding never reaches it. This
 * replaces DJL's {@code GRU.optBidirectional(true)}, which passes parameters in the wrong order
 * for libtorch.</li>
 * <li>Variable-length batches are zero-padded after each sequence; batch-norm statistics are
 * taken over valid frames, attention and pooling scores of padded keys get
 * {@code -1e9} before the softmax.</li>
 * <li>Training steps are hand-written (no {@code Trainer}; the loop is the runner's):
 * thread-local autograd, Adam as Keras computes it, global-norm clipping, Java-side seeded
 * dropout masks, so runs repeat exactly and two models in one JVM do not share any state. A step
 * with a non-finite loss or gradient norm is skipped.</li>
 * <li>Autograd reads saved operands through libtorch, after DJL may have released them: constants
 * in the recorded forward pass are libtorch-allocated tensors ({@code Network.constant}), never
 * DJL's {@code NDArray op Number} overloads, whose Java buffer a garbage collection frees before
 * the backward pass reads it.</li>
 * </ul>
 */
package ser.djl;
