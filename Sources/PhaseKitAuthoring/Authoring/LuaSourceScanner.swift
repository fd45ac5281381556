/// A lexical look at a Lua script for `phasekit lint`: where fields are declared, which binding
/// modules it uses, and the literal arguments of its binding calls. Comments and the inside of
/// strings are skipped, so text that only looks like code there is never taken for code.
struct LuaSourceScanner {
    /// One token with the line it starts on.
    struct Token: Equatable {
        enum Kind: Equatable { case name, string, number, symbol }
        var kind: Kind
        var text: String
        var line: Int
    }

    /// A binding call written `module.name(...)`, `module.name{...}` or `module.name"..."`.
    struct Call {
        var module: String
        var name: String
        var line: Int
        /// Each argument's literal kind (`string`, `number`, `boolean`, `nil`, `table`), or nil
        /// when the argument is an expression whose type is known only at run time.
        var arguments: [String?]
    }

    let tokens: [Token]

    init(source: String) {
        tokens = LuaTokenizer.tokenize(Array(source.unicodeScalars))
    }

    /// The line where `field = ...` is first written, or the line of the first `return {`.
    func line(ofField field: String?) -> Int {
        if let field {
            for index in tokens.indices.dropLast() where tokens[index].kind == .name && tokens[index].text == field
                && tokens[index + 1].text == "=" && (index == 0 || tokens[index - 1].text != ".") {
                return tokens[index].line
            }
        }
        for index in tokens.indices.dropLast() where tokens[index].text == "return" && tokens[index + 1].text == "{" {
            return tokens[index].line
        }
        return 1
    }

    /// Every call of a function of one of the modules, in source order.
    func calls(of modules: Set<String>) -> [Call] {
        var calls: [Call] = []
        var index = 0
        while index + 3 < tokens.count {
            defer { index += 1 }
            let module = tokens[index]
            guard module.kind == .name, modules.contains(module.text), tokens[index + 1].text == ".",
                  tokens[index + 2].kind == .name, index == 0 || tokens[index - 1].text != "." else { continue }
            let opener = tokens[index + 3]
            var call = Call(module: module.text, name: tokens[index + 2].text, line: module.line, arguments: [])
            switch opener.kind {
            case .string: call.arguments = ["string"]
            case .symbol where opener.text == "{": call.arguments = ["table"]
            case .symbol where opener.text == "(": call.arguments = arguments(from: index + 4)
            default: continue
            }
            calls.append(call)
        }
        return calls
    }

    /// The modules used as `module.name` anywhere.
    func modulesUsed(of modules: Set<String>) -> [String: Int] {
        var used: [String: Int] = [:]
        for index in tokens.indices.dropLast() where tokens[index].kind == .name && modules.contains(tokens[index].text)
            && tokens[index + 1].text == "." && (index == 0 || tokens[index - 1].text != ".") && used[tokens[index].text] == nil {
            used[tokens[index].text] = tokens[index].line
        }
        return used
    }

    /// Whether the script calls `require` (so it may use bindings through a module).
    var requiresModules: Bool { tokens.contains { $0.kind == .name && $0.text == "require" } }

    /// The literal kinds of the arguments of a call whose `(` is just before `start`.
    private func arguments(from start: Int) -> [String?] {
        var result: [String?] = []
        var index = start
        var depth = 0
        var current: [Token] = []
        while index < tokens.count {
            let token = tokens[index]
            if depth == 0 && (token.text == "," || token.text == ")") {
                if !current.isEmpty { result.append(Self.literalKind(current)) }
                current = []
                if token.text == ")" { return result }
            } else {
                if ["(", "{", "["].contains(token.text) { depth += 1 }
                if [")", "}", "]"].contains(token.text) { depth -= 1 }
                current.append(token)
            }
            index += 1
        }
        return result
    }

    private static func literalKind(_ tokens: [Token]) -> String? {
        if tokens.count == 1 {
            switch tokens[0].kind {
            case .string: return "string"
            case .number: return "number"
            case .name where tokens[0].text == "true" || tokens[0].text == "false": return "boolean"
            case .name where tokens[0].text == "nil": return "nil"
            default: return nil
            }
        }
        if tokens.count == 2, tokens[0].text == "-", tokens[1].kind == .number { return "number" }
        if tokens.first?.text == "{", tokens.last?.text == "}" {
            // One constructor, not `{...} .. x`: the first brace closes at the end.
            var depth = 0
            for (offset, token) in tokens.enumerated() {
                if token.text == "{" { depth += 1 }
                if token.text == "}" { depth -= 1; if depth == 0 && offset != tokens.count - 1 { return nil } }
            }
            return "table"
        }
        return nil
    }
}
