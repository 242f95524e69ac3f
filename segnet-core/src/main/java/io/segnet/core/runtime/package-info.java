/**
 * The process's native runtime and threads, shared by every engine: {@link io.segnet.core.runtime.Parallel} splits a
 * kernel's independent items over the calling thread and the common fork-join pool; {@link io.segnet.core.runtime.Blas}
 * calls OpenBLAS's GEMM on windows of ND4J buffers and keeps OpenBLAS on the calling thread;
 * {@link io.segnet.core.runtime.Scratch} holds the kernels' thread-local work arrays; and
 * {@link io.segnet.core.runtime.NativeHeap} returns the C allocator's freed memory to the operating system, which keeps
 * the resident memory of long training runs flat.
 */
package io.segnet.core.runtime;
