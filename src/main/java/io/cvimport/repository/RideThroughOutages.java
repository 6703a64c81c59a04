package io.cvimport.repository;

import java.lang.reflect.UndeclaredThrowableException;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import io.cvimport.ledger.ClosedRows;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.ResourceLinks;

/**
 * Every call to the job repository rides through a short outage: the ledger's (the import
 * engine writes each row's state on its own and waits until it is committed; the resource
 * links a listing learns; the rows a pass reopens) and Spring
 * Batch's JobRepository's (the records of steps and of the job, between and after steps).
 */
@Component
class RideThroughOutages implements BeanPostProcessor {

    /** Resolved on first use: the outage needs the data source, which must not be made this early. */
    private final ObjectProvider<RepositoryOutage> outage;

    RideThroughOutages(ObjectProvider<RepositoryOutage> outage) {
        this.outage = outage;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof JobRepository || bean instanceof ImportLedger || bean instanceof ResourceLinks
                || bean instanceof ClosedRows) {
            ProxyFactory proxy = new ProxyFactory();
            proxy.setTarget(bean);
            if (bean instanceof JobRepository) {
                proxy.addInterface(JobRepository.class);
            }
            else {
                proxy.setProxyTargetClass(true);
            }
            boolean selfTransacted = bean instanceof JobRepository;
            proxy.addAdvice((MethodInterceptor) invocation -> selfTransacted
                    ? outage.getObject().rideThroughSelfTransacted(() -> proceed(invocation))
                    : outage.getObject().rideThrough(() -> proceed(invocation)));
            return proxy.getProxy();
        }
        return bean;
    }

    private static @Nullable Object proceed(MethodInvocation invocation) {
        try {
            return invocation.proceed();
        }
        catch (RuntimeException | Error e) {
            throw e;
        }
        catch (Throwable e) {
            // neither the ledger nor the JobRepository declares a checked exception
            throw new UndeclaredThrowableException(e);
        }
    }
}
