internal import CSystemCalls

extension SystemCall {
    /// Tells the C allocator to keep what is freed for reuse (allocations up to 32 MiB from the
    /// heap, up to 64 MiB freed at its top kept there): a run allocates and frees buffers of
    /// megabytes (an agent's answer, its decoding, the report), and by default each comes from
    /// fresh pages, faulted in one by one. Called once, first thing in `main`.
    ///
    /// - Returns: whether the allocator took both settings (it refuses none on glibc).
    @discardableResult
    public static func keepFreedMemory() -> Bool {
        csys_keep_freed_memory() == 1
    }
}
