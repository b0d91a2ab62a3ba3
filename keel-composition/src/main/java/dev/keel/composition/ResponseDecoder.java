package dev.keel.composition;

/**
 * Turns the body of a 2xx answer into the part's value. Anything it throws makes the part
 * {@link Reason#DECODE_ERROR}. {@link Request.Builder#json(Class)} covers the usual case.
 *
 * @param <T> the decoded type
 */
@FunctionalInterface
public interface ResponseDecoder<T> {

    T decode(byte[] body) throws Exception;
}
