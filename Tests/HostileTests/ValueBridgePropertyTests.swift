import LuaRuntime
import PropertyBased
import Testing

/// Random values crossing the Swift/Lua bridge.
@Suite("Value bridge properties")
struct ValueBridgePropertyTests {
    /// Any plain value goes through a Lua identity function unchanged: integers stay integers,
    /// floats keep their exact bits, strings keep every byte (NUL, invalid UTF-8).
    @Test func plainValuesRoundTripThroughLuaExactly() async throws {
        let lua = try LuaState()
        let identity = try lua.load(source: "return ...", chunkName: "=identity")
        await propertyCheck(count: 300, input: LuaValueGenerators.arguments) { arguments in
            let results = try lua.call(identity, arguments)
            #expect(results.count == arguments.count)
            for (sent, received) in zip(arguments, results) {
                #expect(LuaValueGenerators.identical(sent, received), "sent \(sent), got \(received)")
            }
        }
    }

    /// Malformed values (nesting past the limit, NaN and nil keys) are refused with a Lua error,
    /// never a crash, and the state stays usable.
    @Test func garbageValuesAreRefusedOrPassedNeverCrash() async throws {
        let lua = try LuaState()
        let identity = try lua.load(source: "return ...", chunkName: "=identity")
        await propertyCheck(count: 200, input: LuaValueGenerators.garbage) { value in
            do {
                _ = try lua.call(identity, [value])
            } catch let error as LuaError {
                #expect(error.kind == .runtime, "\(error)")
            } catch {
                Issue.record("not a LuaError: \(error)")
            }
            let afterwards = try? lua.call(identity, [.integer(7)])
            #expect(afterwards == [.integer(7)], "the state is unusable after \(value)")
        }
    }
}

/// Generators of `LuaValue`s for the bridge properties.
enum LuaValueGenerators {
    static let arguments = Generator { rng in
        (0..<Int.random(in: 0...4, using: &rng)).map { _ in value(depth: 0, allowNil: true, using: &rng) }
    }

    static let garbage = Generator { rng in garbageValue(using: &rng) }

    static func bytes(using rng: inout any SeededRandomNumberGenerator) -> LuaString {
        let pool: [UInt8] = [0, 0xFF, 0xC3, 0x28, 0x80, 0x41, 0x0A, 0x22, 0x5C, 0xE2, 0x82]
        return LuaString(bytes: (0..<Int.random(in: 0...24, using: &rng)).map { _ in
            Bool.random(using: &rng) ? pool.randomElement(using: &rng) ?? 0 : UInt8.random(in: 0...255, using: &rng)
        })
    }

    static func double(using rng: inout any SeededRandomNumberGenerator) -> Double {
        let specials: [Double] = [0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1, 2.0, 1e300]
        return Bool.random(using: &rng) ? specials.randomElement(using: &rng) ?? 0 : Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng))
    }

    static func value(depth: Int, allowNil: Bool, using rng: inout any SeededRandomNumberGenerator) -> LuaValue {
        switch Int.random(in: (allowNil ? 0 : 1)...(depth < 4 ? 6 : 5), using: &rng) {
        case 0: return .nil
        case 1: return .boolean(Bool.random(using: &rng))
        case 2: return .integer(Bool.random(using: &rng) ? Int64.random(in: -3...3, using: &rng) : Int64.random(in: .min ... .max, using: &rng))
        case 3: return .number(double(using: &rng))
        case 4, 5: return .string(bytes(using: &rng))
        default:
            var table = LuaTable()
            table.array = (0..<Int.random(in: 0...4, using: &rng)).map { _ in value(depth: depth + 1, allowNil: false, using: &rng) }
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                // Keys Lua keeps as they are: strings, integers away from the sequence, non-integral floats.
                let key: LuaValue = switch Int.random(in: 0...2, using: &rng) {
                case 0: .string(bytes(using: &rng))
                case 1: .integer(Int64.random(in: Int64.min ... -1, using: &rng))
                default: .number(Double(Int.random(in: -1000...1000, using: &rng)) + 0.5)
                }
                table.fields[key] = value(depth: depth + 1, allowNil: false, using: &rng)
            }
            return .table(table)
        }
    }

    static func garbageValue(using rng: inout any SeededRandomNumberGenerator) -> LuaValue {
        var value = LuaValue.table(LuaTable(fields: [
            Bool.random(using: &rng) ? .number(.nan) : .boolean(true): .integer(1),
        ]))
        if Bool.random(using: &rng) { value = .table(LuaTable(array: [.nil, .integer(1), .nil])) }
        for _ in 0..<Int.random(in: 0...150, using: &rng) {
            value = .table(LuaTable(array: [value], fields: [.text("k"): .string(bytes(using: &rng))]))
        }
        return value
    }

    /// Equality that tells -0.0 from 0.0 and compares NaNs by their bits.
    static func identical(_ left: LuaValue, _ right: LuaValue) -> Bool {
        switch (left, right) {
        case (.number(let a), .number(let b)): a.bitPattern == b.bitPattern
        case (.table(let a), .table(let b)):
            a.array.count == b.array.count && zip(a.array, b.array).allSatisfy(identical)
                && a.fields.count == b.fields.count
                && a.fields.allSatisfy { key, value in b.fields[key].map { identical(value, $0) } ?? false }
        default: left == right
        }
    }
}
