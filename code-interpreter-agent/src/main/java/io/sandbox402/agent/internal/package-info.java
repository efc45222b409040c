/**
 * Not API: helpers the agent and its CLI share, public only so that both packages reach them. They
 * may change in any release.
 */
@NullMarked
package io.sandbox402.agent.internal;

import org.jspecify.annotations.NullMarked;
