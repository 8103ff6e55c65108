/**
 * A thin bridge from the Eclipse platform's text editor framework (JFace text, the workbench text editor) to
 * Xtext's ide services, called in process: the same services a language server answers with, minus the protocol.
 * <p>
 * Nothing here knows a language: an {@link org.ilmpq.dsl.ui.bridge.XtextLanguage} gives the Guice injector of a
 * language's runtime and ide modules, its line-comment prefix and the colours of its highlighting styles; every
 * class takes what it needs from there. It exists because the classic Xtext UI bundles are not published on
 * Maven Central (see docs/workbench.md).
 */
package org.ilmpq.dsl.ui.bridge;
