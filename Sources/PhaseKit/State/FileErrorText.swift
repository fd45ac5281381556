import Foundation

/// File errors as an operator reads them: the path and the system's reason ("No space left on
/// device"), never Foundation's nested error dump.
public enum FileErrorText {
    /// `error` described by its POSIX reason when it has one, else by its localized description.
    public static func reason(of error: any Error) -> String {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }
}
