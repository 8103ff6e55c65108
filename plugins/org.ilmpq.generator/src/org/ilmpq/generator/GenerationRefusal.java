package org.ilmpq.generator;

/**
 * What a generator will not make from a spec that validates, with a reason the user can act on: the network has
 * several inputs, its HLS design takes no weights this wide, the export given is of another network. Callers turn
 * it into a message ({@link Artifacts} into a {@link Artifacts.Refusal}). Anything else a generator throws is a bug
 * and must reach the user as one, not as a refusal.
 */
public final class GenerationRefusal extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public GenerationRefusal(String reason) {
		super(reason);
	}

	public GenerationRefusal(String reason, Throwable cause) {
		super(reason, cause);
	}
}
