import Foundation
import LuaRuntime

/// `phase.change(description, fn)`: the writes `fn` makes, described in the script's words.
///
/// The description only labels changes: every write inside `fn` still goes through the
/// dispatcher, is recorded (planned or applied) and checked against a saved plan by its raw call,
/// exactly as outside. Groups nest (a write takes the innermost description); the group ends when
/// `fn` returns or raises, and an error inside `fn` propagates unchanged after it ended.
extension PhaseBindings {
    /// Makes the `phase.change` function of a state: a Lua wrapper that opens a group in the
    /// running step's ``StepState``, calls the function through the sandbox's `pcall` (which no
    /// limit can be swallowed by), closes the group and returns `fn`'s results or raises its error again.
    static func changeFunction(_ dispatcher: Dispatcher, in lua: LuaState) throws -> LuaFunction {
        let begin: LuaHostFunction = { call in
            guard case .string(let text) = try call.value(1), let description = text.text?.trimmingCharacters(in: .whitespacesAndNewlines),
                  !description.isEmpty else {
                throw LuaArgumentError(function: "phase.change", position: 1, "a non-empty description string is required")
            }
            let line = description.split(whereSeparator: \.isNewline).joined(separator: " ")
            let state = dispatcher.step.phase
            state.changeGroups.append(OutputLimits.truncate(line, to: changeDescriptionBytes))
            call.push(integer: Int64(state.changeGroups.count))
            return 1
        }
        let end: LuaHostFunction = { call in
            let depth = Int(try call.integer(1))
            let state = dispatcher.step.phase
            if depth >= 1 && depth <= state.changeGroups.count { state.changeGroups.removeLast(state.changeGroups.count - depth + 1) }
            return 0
        }
        // Installed as `phase` so that errors name `phase.change`; the real `phase` module replaces
        // this global right after, and the wrapper keeps the only reference to these two.
        try lua.installModule("phase", functions: ["change": begin, "finish": end])
        let made = try lua.run(source: """
            local hooks = phase
            local pcall, error, type, pack, unpack = pcall, error, type, table.pack, table.unpack
            return function(description, fn, ...)
              if type(fn) ~= "function" then
                error("bad argument #2 to 'phase.change' (a function making the changes expected, got " .. type(fn) .. ")", 2)
              end
              local depth = hooks.change(description)
              local results = pack(pcall(fn, ...))
              hooks.finish(depth)
              if not results[1] then error(results[2], 0) end
              return unpack(results, 2, results.n)
            end
            """, chunkName: "=phase.change")
        guard case .function(let function)? = made.first else {
            throw PhaseKitError.internal("phase.change: the wrapper did not build")
        }
        return function
    }
}
