/**
 * customvision-import: the command's entry point. The parts live in the packages below
 * (input, customvision, ledger, imports, job, repository, report, metrics, logging).
 */
@NullMarked
package io.cvimport;

import org.jspecify.annotations.NullMarked;
