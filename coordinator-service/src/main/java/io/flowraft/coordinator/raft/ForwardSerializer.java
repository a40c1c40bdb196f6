package io.flowraft.coordinator.raft;

import com.alipay.remoting.CustomSerializer;
import com.alipay.remoting.CustomSerializerManager;
import com.alipay.remoting.InvokeContext;
import com.alipay.remoting.rpc.RequestCommand;
import com.alipay.remoting.rpc.ResponseCommand;
import com.alipay.remoting.rpc.protocol.RpcRequestCommand;
import com.alipay.remoting.rpc.protocol.RpcResponseCommand;

/**
 * Bolt's serializer for {@link ForwardRequest} and {@link ForwardResponse}: their frames go on the wire as they
 * are and come off it as they are. Bolt asks a serializer registered for the class name a frame declares before
 * it would use Hessian, and this one always answers, so the content of a frame that declares a forwarding class
 * never reaches Hessian, whatever bytes it holds. (A frame that declares a class no processor is registered for
 * is answered "no processor" by bolt before its content is read at all; see docs/security-raft-port.md.)
 */
final class ForwardSerializer implements CustomSerializer {

    private static final ForwardSerializer INSTANCE = new ForwardSerializer();

    static {
        // Bolt's registry is JVM-wide and refuses a second registration: once per class loader, here.
        CustomSerializerManager.registerCustomSerializer(ForwardRequest.class.getName(), INSTANCE);
        CustomSerializerManager.registerCustomSerializer(ForwardResponse.class.getName(), INSTANCE);
    }

    private ForwardSerializer() {
    }

    /** Makes sure bolt knows this serializer before anything is forwarded or served. Idempotent. */
    static void register() {
        // The static initializer does the work.
    }

    @Override
    public <T extends RequestCommand> boolean serializeHeader(T request, InvokeContext invokeContext) {
        return false;
    }

    @Override
    public <T extends ResponseCommand> boolean serializeHeader(T response) {
        return false;
    }

    @Override
    public <T extends RequestCommand> boolean deserializeHeader(T request) {
        return true; // a header, if any, is ignored
    }

    @Override
    public <T extends ResponseCommand> boolean deserializeHeader(T response, InvokeContext invokeContext) {
        return true;
    }

    @Override
    public <T extends RequestCommand> boolean serializeContent(T request, InvokeContext invokeContext) {
        RpcRequestCommand command = (RpcRequestCommand) request;
        command.setContent(((ForwardRequest) command.getRequestObject()).frame());
        return true;
    }

    @Override
    public <T extends ResponseCommand> boolean serializeContent(T response) {
        RpcResponseCommand command = (RpcResponseCommand) response;
        command.setContent(((ForwardResponse) command.getResponseObject()).frame());
        return true;
    }

    @Override
    public <T extends RequestCommand> boolean deserializeContent(T request) {
        RpcRequestCommand command = (RpcRequestCommand) request;
        byte[] content = command.getContent();
        command.setRequestObject(new ForwardRequest(content == null ? new byte[0] : content));
        return true;
    }

    @Override
    public <T extends ResponseCommand> boolean deserializeContent(T response, InvokeContext invokeContext) {
        RpcResponseCommand command = (RpcResponseCommand) response;
        byte[] content = command.getContent();
        command.setResponseObject(new ForwardResponse(content == null ? new byte[0] : content));
        return true;
    }
}
