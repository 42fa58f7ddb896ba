package com.vivesphere.mq.logconsumer.api;

/** A query parameter that cannot be used; answered with 400 and a problem+json body naming it. */
public class BadParameterException extends RuntimeException {

    private final String parameter;

    public BadParameterException(String parameter, String reason) {
        super(reason, null, false, false);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
