/**
 * The command line, checked before Spring and the job repository start: the options the job
 * knows (from the configuration metadata the build writes), the values they take, {@code --help}
 * and {@code --version}. A usage error is answered here, at once, and leaves nothing behind.
 */
@NullMarked
package io.cvimport.cli;

import org.jspecify.annotations.NullMarked;
