import CLibCrypto

/// Every raw libcrypto call the module makes, in one place.
///
/// OpenSSL's EVP digest interface: a context is made by ``newContext()`` and freed by ``free(_:)``, and nothing
/// else here owns one. Every call's status (1 for success) is checked by ``check(_:_:)``.
enum LibCrypto {
    typealias ContextHandle = OpaquePointer

    /// SHA-256's implementation, fetched from the default provider once for the process (and never freed: it
    /// lives as long as the process, like the library's own tables).
    nonisolated(unsafe) static let sha256: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)

    static func newContext() -> ContextHandle? {
        EVP_MD_CTX_new()
    }

    static func free(_ context: ContextHandle) {
        EVP_MD_CTX_free(context)
    }

    static func initialise(_ context: ContextHandle) -> Int32 {
        EVP_DigestInit_ex(context, sha256, nil)
    }

    static func update(_ context: ContextHandle, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 1 }
        return EVP_DigestUpdate(context, base, bytes.count)
    }

    static func finish(_ context: ContextHandle, into digest: UnsafeMutableBufferPointer<UInt8>) -> Int32 {
        var length: UInt32 = 0
        return EVP_DigestFinal_ex(context, digest.baseAddress, &length)
    }

    /// Turns a libcrypto status into a Swift precondition: a failing SHA-256 is a broken library (out of memory
    /// or a missing provider), not an input error, and no digest it gave could be trusted.
    static func check(_ status: Int32, _ call: StaticString) {
        precondition(status == 1, "libcrypto \(call) failed: the system's OpenSSL cannot compute SHA-256")
    }
}
