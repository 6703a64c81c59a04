/**
 * What a listing settles: awaited imports that left Importing, lost answers decided from the
 * project list, and the verification of what a source row's import brought.
 */
@NullMarked
package io.cvimport.imports.settling;

import org.jspecify.annotations.NullMarked;
