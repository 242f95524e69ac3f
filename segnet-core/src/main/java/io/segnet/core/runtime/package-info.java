/**
 * The process's native runtime: {@link io.segnet.core.runtime.NativeHeap} returns the C allocator's freed memory to
 * the operating system, which keeps the resident memory of long training runs flat.
 */
package io.segnet.core.runtime;
