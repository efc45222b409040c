package io.sandbox402.agent.cli;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The model server as the CLI calls it: a call that takes a while says so on standard error, and a
 * failure becomes a {@link ModelServerException} that names the URL and what to check (the key for
 * a 401, the base URL when nothing answers, the model for a 404, {@code --request-timeout} for a
 * server that does not answer).
 */
final class ModelServer implements ChatModel {
    private final ChatModel delegate;
    private final String url;
    private final String modelName;
    private final Duration requestTimeout;
    private final PrintWriter progress;
    private final Duration firstNotice;

    ModelServer(ChatModel delegate, String url, String modelName, Duration requestTimeout, PrintWriter progress,
            Duration firstNotice) {
        this.delegate = delegate;
        this.url = url;
        this.modelName = modelName;
        this.requestTimeout = requestTimeout;
        this.progress = progress;
        this.firstNotice = firstNotice;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "model-wait-notice");
            thread.setDaemon(true);
            return thread;
        });
        long started = System.nanoTime();
        ScheduledFuture<?> notice = timer.scheduleAtFixedRate(() -> {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            progress.println("   … waiting for the model at " + url + " (" + seconds + " s of at most "
                    + requestTimeout.toSeconds() + " s, --request-timeout)");
            progress.flush();
        }, firstNotice.toMillis(), Math.max(firstNotice.toMillis(), 15_000), TimeUnit.MILLISECONDS);
        try {
            return delegate.chat(request);
        } catch (RuntimeException e) {
            throw explain(e);
        } finally {
            notice.cancel(false);
            timer.shutdownNow();
        }
    }

    ModelServerException explain(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnknownHostException || cause instanceof java.nio.channels.UnresolvedAddressException
                    || cause instanceof dev.langchain4j.exception.UnresolvedModelServerException) {
                return new ModelServerException("Cannot resolve the host of the model server " + url
                        + " (unknown host). Check OPENAI_BASE_URL (or --base-url) and the network.", true, e);
            }
            if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
                return new ModelServerException("Cannot connect to the model server at " + url
                        + " (nothing answers there). Check OPENAI_BASE_URL (or --base-url) and that the server is running.",
                        true, e);
            }
            if (cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException
                    || cause instanceof dev.langchain4j.exception.TimeoutException
                    || cause instanceof InterruptedIOException && !(cause instanceof java.nio.channels.ClosedByInterruptException)) {
                return new ModelServerException("The model server at " + url + " did not answer within "
                        + requestTimeout.toSeconds() + " s. Raise --request-timeout, or check the server.", false, e);
            }
        }
        int status = e instanceof HttpException http ? http.statusCode() : statusOf(e);
        String body = Secrets.excerpt(String.valueOf(e.getMessage()), 200);
        if (e instanceof AuthenticationException || status == 401 || status == 403) {
            return new ModelServerException("The model server at " + url + " refused the key (" + (status > 0 ? status : 401)
                    + "): " + body + ". Check OPENAI_API_KEY.", true, e);
        }
        if (e instanceof ModelNotFoundException || status == 404) {
            return new ModelServerException("The model server at " + url + " answered 404 for model '" + modelName
                    + "': " + body + ". Check OPENAI_MODEL (or --model), and that OPENAI_BASE_URL ends where the server's"
                    + " /chat/completions is (often .../v1).", true, e);
        }
        return new ModelServerException("The model server at " + url + " failed" + (status > 0 ? " (" + status + ")" : "")
                + ": " + body, false, e);
    }

    private static int statusOf(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http) {
                return http.statusCode();
            }
        }
        return 0;
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return delegate.defaultRequestParameters();
    }

    @Override
    public List<ChatModelListener> listeners() {
        return List.of();
    }

    @Override
    public ModelProvider provider() {
        return delegate.provider();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return delegate.supportedCapabilities();
    }
}
