import NIOCore

/// Drops a connection whose socket stays unwritable (the client does not read what it is sent)
/// for longer than a limit, so that a client that never reads an event stream holds no more than
/// the socket's buffers and one pending document.
final class StalledWriteGuard: ChannelInboundHandler, RemovableChannelHandler {
    /// Passed through untouched.
    typealias InboundIn = Never

    private let limit: TimeAmount
    private var scheduled: Scheduled<Void>?

    init(limit: TimeAmount) {
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            scheduled?.cancel()
            scheduled = nil
        } else if scheduled == nil {
            scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: limit) {
                context.close(promise: nil)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        scheduled?.cancel()
        scheduled = nil
    }
}
