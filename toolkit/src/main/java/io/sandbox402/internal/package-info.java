/**
 * Helpers shared by the modules of this project (argument checks, shutdown hooks); not API, no
 * compatibility promise. Non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.sandbox402.internal;

import org.jspecify.annotations.NullMarked;
