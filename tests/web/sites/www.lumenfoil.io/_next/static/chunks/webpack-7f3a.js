console.log("runtime");
