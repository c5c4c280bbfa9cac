/// SHA-256 from the system's libcrypto (OpenSSL), incremental or in one call.
///
/// The hasher owns its libcrypto context alone (it cannot be copied) and frees it when it goes away, whether
/// or not it was finalised.
public struct SHA256: ~Copyable {
    /// What a hasher gives.
    public typealias Digest = SHA256Digest

    private let context: LibCrypto.ContextHandle

    /// A hasher with nothing hashed yet.
    public init() {
        guard let context = LibCrypto.newContext() else {
            preconditionFailure("libcrypto EVP_MD_CTX_new failed: out of memory")
        }
        self.context = context
        LibCrypto.check(LibCrypto.initialise(context), "EVP_DigestInit_ex")
    }

    deinit {
        LibCrypto.free(context)
    }

    /// Adds the bytes of a buffer.
    public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        LibCrypto.check(LibCrypto.update(context, bufferPointer), "EVP_DigestUpdate")
    }

    /// Adds bytes.
    public mutating func update(data: some Sequence<UInt8>) {
        let handled: Void? = data.withContiguousStorageIfAvailable { update(bufferPointer: UnsafeRawBufferPointer($0)) }
        if handled == nil {
            let bytes = Array(data)
            bytes.withUnsafeBytes { update(bufferPointer: $0) }
        }
    }

    /// The digest of everything added; the hasher is used up.
    public consuming func finalize() -> SHA256Digest {
        var bytes = [UInt8](repeating: 0, count: SHA256Digest.byteCount)
        bytes.withUnsafeMutableBufferPointer { LibCrypto.check(LibCrypto.finish(context, into: $0), "EVP_DigestFinal_ex") }
        return SHA256Digest(bytes: bytes)
    }

    /// The digest of `data`.
    public static func hash(data: some Sequence<UInt8>) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(data: data)
        return hasher.finalize()
    }
}
