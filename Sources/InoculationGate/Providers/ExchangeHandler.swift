import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// The last handler of a ``PlainHTTPClient`` connection: writes one request, collects its
/// answer and completes the request's promise exactly once — with the answer, or with why
/// there is none (the connection closed, an error, the body too large, the deadline).
final class ExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = Request
    typealias OutboundOut = HTTPClientRequestPart

    struct Request: Sendable {
        var exchange: PlainHTTPClient.Exchange
        var promise: EventLoopPromise<PlainHTTPClient.Completed>
    }

    /// Fired by the request's deadline task.
    struct DeadlinePassed {}

    /// Fired when the awaiting task is cancelled.
    struct Cancelled {}

    /// The body grew beyond what the caller accepts.
    struct BodyTooLarge: Error, CustomStringConvertible {
        var limit: Int
        var description: String { "the answer's body exceeds \(limit) bytes" }
    }

    private var pending: (promise: EventLoopPromise<PlainHTTPClient.Completed>, limit: Int)?
    private var head: HTTPResponseHead?
    private var body: ByteBuffer?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        guard pending == nil else {
            request.promise.fail(HTTPClientError.alreadyShutdown)
            return
        }
        pending = (request.promise, request.exchange.limit)
        (head, body) = (nil, nil)
        var requestHead = request.exchange.head
        if let body = request.exchange.body {
            requestHead.headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        }
        context.write(wrapOutboundOut(.head(requestHead)), promise: nil)
        if let body = request.exchange.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let (promise, limit) = pending else { return }
        switch unwrapInboundIn(data) {
        case .head(let received):
            head = received
        case .body(var part):
            if (body?.readableBytes ?? 0) + part.readableBytes > limit {
                finish(.failure(BodyTooLarge(limit: limit)))
                context.close(promise: nil)
                return
            }
            if body == nil { body = part } else { body!.writeBuffer(&part) }
        case .end:
            guard let head else {
                finish(.failure(HTTPClientError.invalidProxyResponse))
                context.close(promise: nil)
                return
            }
            pending = nil
            let answer = PlainHTTPClient.Answer(status: Int(head.status.code), headers: head.headers, body: body ?? ByteBuffer())
            (self.head, body) = (nil, nil)
            promise.succeed(.init(answer: answer, keepAlive: head.isKeepAlive))
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is DeadlinePassed || event is Cancelled {
            finish(.failure(event is Cancelled ? CancellationError() : HTTPClientError.deadlineExceeded))
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(unanswered(error)))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(unanswered(HTTPClientError.remoteConnectionClosed)))
        context.fireChannelInactive()
    }

    /// Before any byte of the answer, a failure leaves the request unanswered (it may be sent again).
    private func unanswered(_ error: any Error) -> any Error {
        head == nil ? PlainHTTPClient.Unanswered(error: error) : error
    }

    private func finish(_ result: Result<PlainHTTPClient.Completed, any Error>) {
        guard let (promise, _) = pending else { return }
        pending = nil
        (head, body) = (nil, nil)
        promise.completeWith(result)
    }
}
