/**
 * The process's native runtime: {@link io.segnet.core.runtime.NativeHeap} returns the C allocator's freed memory to
 * the operating system (flat resident memory over long training runs), {@link io.segnet.core.runtime.OpenMp} makes
 * the native libraries' OpenMP workers sleep rather than spin between ops (so that they leave the cores to segnet's
 * Java kernels and OpenBLAS).
 */
package io.segnet.core.runtime;
