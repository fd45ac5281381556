public import LuaRuntime
import Remote

/// The one place that enforces the run's mode on every binding call.
///
/// Each binding declared in the ``BindingRegistry`` becomes a host function that goes through
/// ``invoke(_:call:)``, which knows no binding by name: it reads the binding's declared effect,
/// kind and describer, and tags what it records with the running step's ``StepContext``:
/// - in analysis every binding acts on the planned world, and every write is recorded as a
///   ``Change/Status/planned`` change; the real world is not even reachable from here;
/// - in execution every binding acts on the real world, and every write is recorded as
///   ``Change/Status/applied`` (or ``Change/Status/failed``) with its result.
///
/// The mode is a constant of the dispatcher; scripts hold no reference through which to change
/// it. What they read as `phase.mode` is ``presentedMode``, which a staged execution sets to
/// execute while the mode stays analyze.
public final class Dispatcher {
    /// The world bindings act on and how writes are recorded (``RunIntent/mode``).
    public let mode: RunMode
    /// The mode scripts see as `phase.mode` (``RunIntent/presentedMode``): "execute" in a staged
    /// execution, whose world is the planned one. It grants nothing.
    public let presentedMode: RunMode
    public let registry: BindingRegistry
    public let recorder: RunRecorder
    /// The world bindings act on: planned in analysis, real in execution.
    let world: World
    /// The step now running, for tagging changes, findings and logs: set once per step with
    /// ``enter(_:)``.
    ///
    /// Read on every binding call. Internal: with every access inside this module, the optimizer
    /// can prove that no access overlaps another and drops the dynamic exclusivity check.
    private(set) var step: StepContext
    /// Parameters of the procedure, visible to scripts as `phase.params`.
    public let parameters: LuaTable
    /// The site's `state/` directory, for `phase.review`; nil without a site.
    public let stateDirectory: String?
    /// Whether `phase.review` writes its worksheet (``RunOptions/writesWorksheets``).
    public let writesWorksheets: Bool
    /// When set, every read's arguments and results are kept per step and server, so a saved
    /// plan can tell whether the state a step read has changed since (``RunIntent/fingerprinting``).
    /// Read on every binding call; internal for the same reason as ``step``.
    let fingerprinting: Bool
    /// What each row read, as distinct records, for ``stateFingerprint(step:server:)``.
    var readRecords: [RowKey: Set<String>] = [:]
    /// Read on every binding call.
    private var accepting = true
    /// Whether this step sent remote changes whose answers may not all be read (an execution's
    /// writes to other hosts are sent without waiting): every binding call first raises a
    /// failure among them (``raiseRemoteFailures()``), reads included.
    var changesInFlight = false
    /// The last change found failed after its call returned (its host answered later), for
    /// ``located(_:)``.
    var deferredFailure: DeferredChangeFailure.Origin?
    /// In an execution of a saved plan (``RunIntent/applySavedPlan(_:)``): the writes it allows,
    /// checked before each one is applied.
    public let plannedWrites: PlannedWrites?

    /// Creates the dispatcher for one run.
    ///
    /// - Parameters:
    ///   - intent: what the run is (it gives ``mode``, ``presentedMode``, ``fingerprinting`` and
    ///     ``plannedWrites``).
    ///   - registry: the bindings to offer.
    ///   - world: in analysis a world of kind `.planned`, in execution one of kind `.real`.
    ///   - defaultServer: the server bindings act on outside per-server steps.
    ///   - parameters: `phase.params`.
    ///   - stateDirectory: the site's `state/` directory (`phase.review`), nil without a site.
    /// - Throws: ``PhaseKitError/internal(_:)`` when the world does not match the mode.
    public init(
        intent: RunIntent, registry: BindingRegistry, world: World, recorder: RunRecorder = RunRecorder(),
        defaultServer: String = "local", parameters: LuaTable = LuaTable(), stateDirectory: String? = nil,
        writesWorksheets: Bool = true
    ) throws {
        let mode = intent.mode
        let expected: World.Kind = mode == .analyze ? .planned : .real
        guard world.kind == expected else {
            throw PhaseKitError.internal("a \(mode.rawValue) run needs the \(expected.rawValue) world, got the \(world.kind.rawValue) one")
        }
        self.mode = mode
        self.presentedMode = intent.presentedMode
        self.fingerprinting = intent.fingerprinting
        self.registry = registry.withPhaseModule
        self.world = world
        self.recorder = recorder
        self.step = StepContext(name: nil, server: defaultServer)
        self.parameters = parameters
        self.stateDirectory = stateDirectory
        self.writesWorksheets = writesWorksheets
        self.plannedWrites = intent.savedPlan.map(PlannedWrites.init(plan:))
    }

    /// Starts tagging what is recorded with `step` (and its row): called once per step, before it runs.
    public func enter(_ step: StepContext) {
        self.step = step
        deferredFailure = nil
    }

    /// The step now running (nil before the first), for the read fingerprints.
    var currentStep: String? { step.name }

    /// Installs every registered module, with its constants, and the global functions that are
    /// another name of a binding (`print`) into a state.
    public func install(into lua: LuaState) throws {
        for module in registry.modules {
            var functions: [String: LuaHostFunctionObject] = [:]
            var textArguments: Set<String> = []
            var constants = (registry.moduleConstants[module] ?? [:]).mapValues { $0(self) }
            for binding in registry.bindings(of: module) {
                if let maker = registry.functionMakers[binding.spec.qualifiedName] {
                    constants[binding.spec.name] = .function(try maker(self, lua))
                    continue
                }
                functions[binding.spec.name] = prepare(binding, server: nil)
                if binding.spec.textArguments { textArguments.insert(binding.spec.name) }
            }
            try lua.installModule(module, objects: functions, constants: constants, textArguments: textArguments)
        }
        for (global, qualifiedName) in registry.globals {
            guard let binding = registry.bindings.first(where: { $0.spec.qualifiedName == qualifiedName }) else {
                throw PhaseKitError.internal("\(global) names \(qualifiedName), which is not registered")
            }
            let prepared = prepare(binding, server: nil)
            lua.installFunction(global, textArguments: binding.spec.textArguments) { call in try prepared.callAsHostFunction(&call) }
        }
    }

    /// Refuses every later binding call (finalizers, leftover coroutines) once the run is over.
    public func close() {
        accepting = false
    }

    /// Resolves, once at install time, what ``invoke(_:call:)`` needs on every call.
    func prepare(_ binding: Binding, server: String?) -> PreparedBinding {
        PreparedBinding(dispatcher: self, qualifiedName: binding.spec.qualifiedName,
                        effect: registry.effect(of: binding.spec.qualifiedName), kind: binding.spec.kind, server: server,
                        describe: binding.describe, body: binding.body)
    }

    /// Whether a read can go straight to its body: the run accepts calls and keeps no fingerprint.
    var servesReadsDirectly: Bool { accepting && !fingerprinting && !changesInFlight }

    /// Runs one binding call under the run's mode.
    func invoke(_ binding: PreparedBinding, call: inout LuaCall) throws -> Int32 {
        // The run's own functions record into the run: no fingerprint, and callable to the end.
        if binding.kind == .run { return try binding.body(&call, BindingInvocation(binding: binding)) }
        guard accepting else {
            throw PhaseKitError.refused("\(binding.qualifiedName): the run is over")
        }
        // A remote change sent earlier that failed: this call is not made, the failure is its error.
        do {
            try raiseRemoteFailures()
        } catch {
            throw located(error)
        }
        let invocation = BindingInvocation(binding: binding)
        guard binding.effect == .write else {
            guard fingerprinting else { return try binding.body(&call, invocation) }
            let target = invocation.server
            let arguments = try call.values()
            let count = try binding.body(&call, invocation)
            noteRead(binding.qualifiedName, arguments: arguments, results: call.results(count), server: target)
            return count
        }
        var change = Change(
            binding: binding.qualifiedName, arguments: try call.values().map(JSONValue.recorded),
            status: mode == .analyze ? .planned : .applied,
            location: call.callerLocation, step: step.name, server: invocation.server, row: step.server,
            group: step.phase.group
        )
        describe(&change, binding: binding, call: call, invocation: invocation)
        // Said by a time limit (or the backstop) that ends the call: a service wait, a copy, ...
        call.noteActivity("\(binding.qualifiedName) called at \(change.location ?? "an unknown line")")
        // A remote change may be sent without waiting for its answer: its ticket finds its record
        // again when the answer says it was not made (``settleUnmade()``).
        let ticket = mode == .execute ? recorder.ticket() : nil
        // Only another host's changes are sent without waiting (its connection made by now or by this call).
        defer { if mode == .execute && !world.connections.isEmpty { changesInFlight = true } }
        do {
            if let plannedWrites, mode == .execute { try plannedWrites.admit(change, key: step.rowKey) }
            let count = try ticket.map { try ChangeTicket.$current.withValue($0) { try binding.body(&call, invocation) } }
                ?? binding.body(&call, invocation)
            if mode == .execute { CrashPoints.reached(.write) }
            change.result = call.results(count).map(JSONValue.recorded)
            recorder.record(change, ticket: ticket)
            try chargeRecorder(call)
            return count
        } catch {
            change.status = Self.status(after: error)
            change.error = String(describing: error)
            // An earlier change's failure, thrown before this one was sent: this one was not made.
            if settleUnmade() > 0 && change.status == .failed && !RemoteWorld.isConnectionLost(error) {
                change.status = .refused
                change.error = "not made: an earlier change on the same server failed (\(error))"
            }
            recorder.record(change)
            throw located(error)
        }
    }

    /// A write that threw: refused when the host refused it before it reached the world, failed otherwise.
    static func status(after error: any Error) -> Change.Status {
        if case PhaseKitError.refused = error { return .refused }
        return .failed
    }

    /// Records a write that a read binding discovered (see ``BindingInvocation/noteWrite(_:)``),
    /// described by the binding's describer.
    func noteDynamicWrite(_ call: borrowing LuaCall, invocation: BindingInvocation) throws {
        var change = Change(
            binding: call.functionName, arguments: try call.values().map(JSONValue.recorded),
            status: mode == .analyze ? .planned : .applied,
            location: call.callerLocation, step: step.name, server: invocation.server, row: step.server,
            group: step.phase.group
        )
        describe(&change, binding: invocation.binding, call: call, invocation: invocation)
        if let plannedWrites, mode == .execute {
            do {
                try plannedWrites.admit(change, key: step.rowKey)
            } catch {
                change.status = .refused
                change.error = String(describing: error)
                recorder.record(change)
                throw error
            }
        }
        recorder.record(change)
        try chargeRecorder(call)
    }

    /// Counts what the recorder keeps against the run's memory limit.
    func chargeRecorder(_ call: borrowing LuaCall) throws {
        try call.setHostMemory("recorder", bytes: recorder.retainedBytes)
    }

    /// Pushes a module's bindings aimed at one server, each still going through ``invoke(_:call:)``.
    func pushScoped(_ module: String, server: String, into call: inout LuaCall) throws {
        call.pushModule(cacheKey: "\(module)@\(server)") {
            var functions: [String: LuaHostFunctionObject] = [:]
            for binding in registry.bindings(of: module) where binding.spec.kind != .serverSelector {
                functions[binding.spec.name] = prepare(binding, server: server)
            }
            return functions
        }
    }
}

/// A binding as the dispatcher calls it, and the host function object the Lua state calls: its
/// name and effect resolved once when it is installed, so a call neither builds the qualified name
/// nor looks the effect up in the registry.
final class PreparedBinding: LuaHostFunctionObject {
    /// Strong: the state's host functions keep their dispatcher (and its world) alive.
    let dispatcher: Dispatcher
    /// `module.name`, for changes and messages.
    let qualifiedName: String
    /// The effect the registry declares for the binding.
    let effect: BindingEffect
    /// What it acts on.
    let kind: BindingKind
    /// The server of `module.on(server)`, or nil for the step's own server.
    let server: String?
    /// How the registry says a call of this write is described.
    let describe: ChangeDescriber?
    let body: (inout LuaCall, BindingInvocation) throws -> Int32

    init(dispatcher: Dispatcher, qualifiedName: String, effect: BindingEffect, kind: BindingKind, server: String?,
         describe: ChangeDescriber?, body: @escaping (inout LuaCall, BindingInvocation) throws -> Int32) {
        self.dispatcher = dispatcher
        self.qualifiedName = qualifiedName
        self.effect = effect
        self.kind = kind
        self.server = server
        self.describe = describe
        self.body = body
        super.init()
    }

    override func callAsHostFunction(_ call: inout LuaCall) throws -> Int32 {
        // The common case inline: a read, with nothing to fingerprint, while the run accepts calls.
        if effect == .read && dispatcher.servesReadsDirectly {
            return try body(&call, BindingInvocation(binding: self))
        }
        return try dispatcher.invoke(self, call: &call)
    }
}
