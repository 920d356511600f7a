import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP request and its whole answer, for every endpoint the gate talks to.
///
/// The clients share one event loop of their own, and each exchange stays on it from the
/// request to the collected body — `http://` through `PlainHTTPClient`, `https://` through
/// AsyncHTTPClient's future API with its accumulator: the caller's task hands the request
/// over once and is resumed once. The async API
/// hopped between the loop and Swift's task pool several times per request (a task per
/// request for its cancellation handler, a hop per body part) — most of the harness's
/// CPU per request when the server is fast. One thread at ~0.1 ms per request is
/// thousands of requests per second, more than a model server answers.
package enum HTTPExchange {
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
    }

    /// Not `HTTPClient.shared`: its browser-like 90 s read timeout cut off slow answers
    /// whatever the suite's `timeout` said. Here the request's own deadline bounds the
    /// whole exchange; connecting has its own, shorter bound, so a dead endpoint fails fast.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10), read: nil)
        return HTTPClient(eventLoopGroup: loop, configuration: configuration)
    }()

    private static let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// The client's loop as a task executor: a task that prefers it sends and is resumed
    /// without a thread switch (``OpenAIProvider`` runs its exchanges there).
    package static let executor = EventLoopTaskExecutor(loop.next())

    /// `http://` endpoints (local model servers): the lean client on the same loop.
    private static let plain = PlainHTTPClient(loop: executor.loop)

    /// Sends `body` to `url` and collects the answer (at most `limit` bytes) within `timeout` seconds.
    static func perform(
        _ url: URL?, method: HTTPMethod, headers: HTTPHeaders, body: Data?, timeout: Double, limit: Int
    ) async throws -> Answer {
        guard let url else { throw HTTPClientError.invalidURL }
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeout * 1000))
        if url.scheme?.lowercased() == "http", let host = url.host {
            let port = url.port ?? 80
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: target(url), headers: headers)
            head.headers.replaceOrAdd(name: "Host", value: port == 80 ? host : "\(host):\(port)")
            let cancellation = PlainHTTPClient.Cancellation(loop: executor.loop)
            let answer = try await withTaskCancellationHandler {
                try await plain.perform(
                    host: host, port: port, head: head, body: body.map { ByteBuffer(bytes: $0) }, deadline: deadline, limit: limit,
                    cancellation: cancellation
                ).get()
            } onCancel: {
                cancellation.cancel()
            }
            return Answer(status: answer.status, headers: answer.headers, body: Data(answer.body.readableBytesView))
        }
        let request = try HTTPClient.Request(url: url, method: method, headers: headers, body: body.map { .data($0) })
        let task = client.execute(
            request: request, delegate: ResponseAccumulator(request: request, maxBodySize: limit),
            eventLoop: .delegateAndChannel(on: executor.loop), deadline: deadline)
        let response = try await withTaskCancellationHandler {
            try await task.futureResult.get()
        } onCancel: {
            task.cancel()
        }
        return Answer(status: Int(response.status.code), headers: response.headers, body: response.body.map { Data($0.readableBytesView) } ?? Data())
    }

    /// The request target: the path and query as the URL has them (percent-encoded).
    static func target(_ url: URL) -> String {
        let path = url.path(percentEncoded: true)
        let query = url.query(percentEncoded: true).map { "?" + $0 } ?? ""
        return (path.isEmpty ? "/" : path) + query
    }
}
