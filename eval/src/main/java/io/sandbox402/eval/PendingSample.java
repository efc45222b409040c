package io.sandbox402.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A sample waiting for its verdict.
 *
 * @param index its position among the samples (0-based), the order results are written in
 * @param sample the sample's JSON object as read, written back with the verdict
 * @param head prompt and completion
 * @param tail the tests and the call of {@code check}
 */
record PendingSample(long index, ObjectNode sample, String head, String tail) {

    /** Characters of JSON it adds to a batch, before compression. */
    int weight() {
        return head.length() + tail.length() + 64;
    }
}
