import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

/// HTTP/1.1 without TLS, on one event loop: keep-alive connections per host, one exchange
/// at a time on each, the whole answer collected before it is handed back.
///
/// This is the path of local model servers (vLLM, SGLang, llama.cpp on `http://`), where
/// the harness's own CPU per request is what limits a heavily sampled run. It is a
/// pipeline of NIO's HTTP codec and one small handler, so a request costs a write, a
/// read and the codec — about half of what a general client with its connection-pool
/// state machines, redirects and tracing spends. `https://` endpoints go through
/// AsyncHTTPClient (``HTTPExchange``). Errors are AsyncHTTPClient's where they mean the
/// same (`connectTimeout`, `deadlineExceeded`, `remoteConnectionClosed`), so callers
/// explain them one way.
final class PlainHTTPClient: Sendable {
    struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    let loop: any EventLoop
    /// Connections waiting for their next request, per host (touched only on the loop).
    private let idle: NIOLoopBoundBox<[String: [any Channel]]>

    init(loop: any EventLoop) {
        self.loop = loop
        idle = .makeBoxSendingValue([:], as: [String: [any Channel]].self, eventLoop: loop)
    }

    /// Sends one request to `host:port` and collects its answer (at most `limit` body bytes) by `deadline`.
    /// `cancellation` ends it early, as its deadline would.
    func perform(
        host: String, port: Int, head: HTTPRequestHead, body: ByteBuffer?, deadline: NIODeadline, limit: Int,
        cancellation: Cancellation
    ) -> EventLoopFuture<Answer> {
        guard loop.inEventLoop else {
            return loop.flatSubmit {
                self.perform(host: host, port: port, head: head, body: body, deadline: deadline, limit: limit, cancellation: cancellation)
            }
        }
        let key = "\(host):\(port)"
        let exchange = Exchange(head: head, body: body, limit: limit, deadline: deadline, cancellation: cancellation)
        let fresh: @Sendable () -> EventLoopFuture<Answer> = { self.connect(host: host, port: port).flatMap { self.run(exchange, on: $0, key: key) } }
        let attempt: EventLoopFuture<Answer>
        if let channel = takeIdle(key) {
            // A kept-alive connection the server closed just as we wrote to it said nothing of
            // this request: it is sent once more on a new connection, not counted as a failure.
            attempt = run(exchange, on: channel, key: key).flatMapError { error in
                error is Unanswered ? fresh() : self.loop.makeFailedFuture(error)
            }
        } else {
            attempt = fresh()
        }
        return attempt.flatMapErrorThrowing { throw ($0 as? Unanswered)?.error ?? $0 }
    }

    private func connect(host: String, port: Int) -> EventLoopFuture<any Channel> {
        ClientBootstrap(group: loop)
            .connectTimeout(.seconds(10))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ExchangeHandler())
                }
            }
            .connect(host: host, port: port)
            .flatMapErrorThrowing { error in
                if case ChannelError.connectTimeout = error { throw HTTPClientError.connectTimeout }
                throw error
            }
    }

    private func run(_ exchange: Exchange, on channel: any Channel, key: String) -> EventLoopFuture<Answer> {
        let promise = loop.makePromise(of: Completed.self)
        let timeout = loop.scheduleTask(deadline: exchange.deadline) {
            channel.pipeline.fireUserInboundEventTriggered(ExchangeHandler.DeadlinePassed())
        }
        channel.writeAndFlush(ExchangeHandler.Request(exchange: exchange, promise: promise), promise: nil)
        exchange.cancellation.attach(channel)
        let idle = self.idle
        return promise.futureResult.always { result in
            timeout.cancel()
            if case .success(let answer) = result, answer.keepAlive {
                idle.value[key, default: []].append(channel)
            } else {
                channel.close(promise: nil)
            }
        }.map(\.answer)
    }

    /// An answer, and whether its connection may carry the next request.
    struct Completed: Sendable {
        var answer: Answer
        var keepAlive: Bool
    }

    struct Exchange: Sendable {
        var head: HTTPRequestHead
        var body: ByteBuffer?
        var limit: Int
        var deadline: NIODeadline
        var cancellation: Cancellation
    }

    /// Lets the awaiting task end an exchange: the channel it runs on is closed and its
    /// promise failed with `CancellationError`. Touched only on the loop.
    final class Cancellation: Sendable {
        private struct State: Sendable {
            var channel: (any Channel)?
            var cancelled = false
        }

        private let state: NIOLoopBoundBox<State>
        private let loop: any EventLoop

        init(loop: any EventLoop) {
            self.loop = loop
            state = .makeBoxSendingValue(State(), as: State.self, eventLoop: loop)
        }

        /// The exchange now runs on `channel` (on the loop).
        func attach(_ channel: any Channel) {
            state.value.channel = channel
            if state.value.cancelled { channel.pipeline.fireUserInboundEventTriggered(ExchangeHandler.Cancelled()) }
        }

        func cancel() {
            loop.execute {
                self.state.value.cancelled = true
                self.state.value.channel?.pipeline.fireUserInboundEventTriggered(ExchangeHandler.Cancelled())
            }
        }
    }

    /// A request that got no byte of an answer before its connection closed.
    struct Unanswered: Error {
        var error: any Error
    }

    /// A kept-alive connection to `key` that is still open, if there is one.
    private func takeIdle(_ key: String) -> (any Channel)? {
        while let channel = idle.value[key]?.popLast() {
            if channel.isActive { return channel }
        }
        return nil
    }
}

